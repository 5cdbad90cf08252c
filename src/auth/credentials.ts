/**
 * The users --auth and --auth-file name: `user:password`, or `user:sha256:HEX` /
 * `user:sha512:HEX` so that no password sits in a shell history or a file. Parsing is pure;
 * hashing the plain passwords (WebCrypto, shared by Node, Deno and Bun) makes the table the
 * check compares against, digest to digest.
 */

export type DigestAlgorithm = "SHA-256" | "SHA-512";

/** One line as given: a password to hash, or the hex digest of one. */
export type Credential =
  | { readonly user: string; readonly kind: "plain"; readonly password: string }
  | {
    readonly user: string;
    readonly kind: "hashed";
    readonly algorithm: DigestAlgorithm;
    readonly digest: Uint8Array;
  };

export type CredentialParse = { readonly kind: "ok"; readonly credential: Credential } | {
  readonly kind: "failed";
  readonly message: string;
};

/** The hex length of each digest, by the prefix that names it. */
const HASHED: Readonly<Record<string, { readonly algorithm: DigestAlgorithm; readonly hexLength: number }>> = {
  sha256: { algorithm: "SHA-256", hexLength: 64 },
  sha512: { algorithm: "SHA-512", hexLength: 128 },
};

/** RFC 7617 §2: the user-id has no colon and, as the password, no control characters. */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;

export const CREDENTIAL_FORMS = "'user:password', 'user:sha256:HEX' or 'user:sha512:HEX'";

/** One credential; a password that looks like `sha256:` and 64 hex digits is taken as a digest. */
export function parseCredential(text: string): CredentialParse {
  const colon = text.indexOf(":");
  if (colon <= 0) return { kind: "failed", message: `expected ${CREDENTIAL_FORMS}` };
  const user = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (rest === "") return { kind: "failed", message: `no password for user '${user}'` };
  if (CONTROL.test(text)) return { kind: "failed", message: "control characters are not allowed (RFC 7617 §2)" };
  const hashed = hashedForm(rest);
  if (hashed === "bad-hex") {
    return { kind: "failed", message: `the digest for user '${user}' is not the right number of hex digits` };
  }
  return { kind: "ok", credential: hashed === null ? { user, kind: "plain", password: rest } : { user, ...hashed } };
}

function hashedForm(
  rest: string,
): { readonly kind: "hashed"; readonly algorithm: DigestAlgorithm; readonly digest: Uint8Array } | "bad-hex" | null {
  const colon = rest.indexOf(":");
  const form = colon < 0 ? undefined : HASHED[rest.slice(0, colon).toLowerCase()];
  if (form === undefined) return null;
  const hex = rest.slice(colon + 1);
  if (hex.length !== form.hexLength || !/^[0-9a-fA-F]+$/.test(hex)) return "bad-hex";
  return { kind: "hashed", algorithm: form.algorithm, digest: hexBytes(hex) };
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * The lines of an --auth-file: one credential a line; blank lines and lines starting with #
 * are skipped. A bad line fails the whole file, naming its number (a reload keeps the old users).
 */
export function parseCredentialFile(text: string, path: string): CredentialList {
  const credentials: Credential[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const parsed = parseCredential(line);
    if (parsed.kind === "failed") return { kind: "failed", message: `${path} line ${i + 1}: ${parsed.message}` };
    credentials.push(parsed.credential);
  }
  if (credentials.length === 0) return { kind: "failed", message: `${path} names no user` };
  return { kind: "ok", credentials };
}

export type CredentialList = { readonly kind: "ok"; readonly credentials: readonly Credential[] } | {
  readonly kind: "failed";
  readonly message: string;
};

/** What a password is checked against: its digest and how it was made. */
export interface StoredUser {
  readonly algorithm: DigestAlgorithm;
  readonly digest: Uint8Array;
}

/** The users by name; the last line naming a user wins. */
export type UserTable = ReadonlyMap<string, StoredUser>;

export async function userTable(credentials: readonly Credential[]): Promise<UserTable> {
  const table = new Map<string, StoredUser>();
  for (const credential of credentials) {
    table.set(
      credential.user,
      credential.kind === "hashed"
        ? { algorithm: credential.algorithm, digest: credential.digest }
        : { algorithm: "SHA-256", digest: await digest("SHA-256", credential.password) },
    );
  }
  return table;
}

const encoder = new TextEncoder();

/** The password's digest, of its UTF-8 bytes (RFC 7617 §2.1, charset="UTF-8"). */
export async function digest(algorithm: DigestAlgorithm, password: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(algorithm, encoder.encode(password)));
}
