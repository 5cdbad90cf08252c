/** The authentication options of the command line (--auth, --auth-file, --auth-scope). */
import { AUTH_SCOPES, type AuthScope } from "../auth/auth-app.ts";
import { type Credential, CREDENTIAL_FORMS, parseCredential } from "../auth/credentials.ts";
import type { AuthConfig } from "../compose/config.ts";
import { badValue } from "../compose/option-values.ts";
import type { OptionParse, OptionParser } from "./option-parse.ts";

export interface AuthOptions {
  /** --auth, repeatable. */
  readonly credentials: readonly Credential[];
  /** --auth-file. */
  readonly file: string | null;
  /** --auth-scope; null: not given (all). */
  readonly scope: AuthScope | null;
}

export const DEFAULT_AUTH: AuthOptions = { credentials: [], file: null, scope: null };

const isScope = (text: string): text is AuthScope => (AUTH_SCOPES as readonly string[]).includes(text);

export const parseAuthOption: OptionParser<AuthOptions> = (option, auth) => {
  const { name } = option;
  const ok = (change: Partial<AuthOptions>): OptionParse<AuthOptions> => ({
    kind: "ok",
    value: { ...auth, ...change },
  });
  switch (name) {
    case "--auth": {
      const text = option.value();
      if (text === null) return { kind: "error", message: badValue(name, text, CREDENTIAL_FORMS) };
      const parsed = parseCredential(text);
      // The value is not repeated in the message: it may be a password.
      if (parsed.kind === "failed") return { kind: "error", message: `invalid value for ${name}: ${parsed.message}` };
      return ok({ credentials: [...auth.credentials, parsed.credential] });
    }
    case "--auth-file": {
      const text = option.value();
      if (text === null || text === "") return { kind: "error", message: badValue(name, text, "a file of users") };
      return ok({ file: text });
    }
    case "--auth-scope": {
      const text = option.value();
      if (text === null || !isScope(text)) {
        return { kind: "error", message: badValue(name, text, AUTH_SCOPES.join(" or ")) };
      }
      return ok({ scope: text });
    }
    default:
      return { kind: "unknown" };
  }
};

/** The options whole: the config's auth (null: off), or why they do not fit together. */
export function finishAuth(
  auth: AuthOptions,
): { readonly kind: "ok"; readonly auth: AuthConfig | null } | { readonly kind: "error"; readonly message: string } {
  const on = auth.credentials.length > 0 || auth.file !== null;
  if (!on) {
    return auth.scope === null
      ? { kind: "ok", auth: null }
      : { kind: "error", message: "--auth-scope needs --auth or --auth-file" };
  }
  return { kind: "ok", auth: { credentials: auth.credentials, file: auth.file, scope: auth.scope ?? "all" } };
}
