/** The authentication options of the command line (--auth, --auth-file, --auth-scope, --auth-path). */
import { AUTH_SCOPES, type AuthScope } from "../auth/auth-app.ts";
import { type Credential, CREDENTIAL_FORMS, parseCredential } from "../auth/credentials.ts";
import type { AuthConfig } from "../compose/config.ts";
import { badValue } from "../compose/option-values.ts";
import { canonicalAuthPath } from "../compose/auth-paths.ts";
import type { OptionParse, OptionParser } from "./option-parse.ts";

export interface AuthOptions {
  /** --auth, repeatable. */
  readonly credentials: readonly Credential[];
  /** --auth-file. */
  readonly file: string | null;
  /** --auth-scope; null: not given (all). */
  readonly scope: AuthScope | null;
  /** --auth-path, repeatable, canonical (compose/auth-paths.ts); empty: every path. */
  readonly paths: readonly string[];
}

export const DEFAULT_AUTH: AuthOptions = { credentials: [], file: null, scope: null, paths: [] };

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
    case "--auth-path": {
      const text = option.value();
      const path = text === null ? null : canonicalAuthPath(text);
      if (path === null) return { kind: "error", message: badValue(name, text, "a URL path such as /private/") };
      return ok({ paths: [...auth.paths, path] });
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
    if (auth.scope !== null) return { kind: "error", message: "--auth-scope needs --auth or --auth-file" };
    if (auth.paths.length > 0) return { kind: "error", message: "--auth-path needs --auth or --auth-file" };
    return { kind: "ok", auth: null };
  }
  const { credentials, file, paths } = auth;
  return { kind: "ok", auth: { credentials, file, scope: auth.scope ?? "all", paths } };
}
