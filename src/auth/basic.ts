/** HTTP Basic (RFC 7617): the credentials a request carries, and the challenge a 401 sends. */

export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** RFC 7617 §2: the realm, and charset="UTF-8" (§2.1) so that clients send UTF-8 user-ids and passwords. */
export function challenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\]/g, "\\$&")}", charset="UTF-8"`;
}

/** RFC 7235 §2.1: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The user and password of an Authorization value, or null when it is not Basic or not well
 * formed. RFC 7617 §2: credentials = "Basic" SP token68, the scheme case-insensitive; the
 * token is base64 of user-id ":" password, split at the first colon, UTF-8 (§2.1), without
 * control characters.
 */
export function parseBasic(value: string): BasicCredentials | null {
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space).toLowerCase() !== "basic") return null;
  const token = value.slice(space + 1).trim();
  if (!TOKEN68.test(token)) return null;
  const text = decodeBase64(token);
  if (text === null) return null;
  const colon = text.indexOf(":");
  if (colon < 0 || CONTROL.test(text)) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function decodeBase64(token: string): string | null {
  let binary: string;
  try {
    binary = atob(token);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}
