import { parseIp } from "./ip-address.ts";

/** The values a trusted proxy forwards besides addresses: scheme, host, path prefix, port. */

/** A decimal port of at least `min` and at most 5 digits, up to 65535. */
export function isPortText(text: string, min: number): boolean {
  if (text.length < min || text.length > 5) return false;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
    value = value * 10 + (c - 0x30);
  }
  return value <= 65535;
}

const REG_NAME_CHAR = new Uint8Array(256);
const PATH_CHAR = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const c = String.fromCharCode(b);
  const alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
  // RFC 3986 §3.2.2 reg-name: unreserved / pct-encoded / sub-delims (the "%" is checked apart)
  REG_NAME_CHAR[b] = alnum || "-._~!$&'()*+,;=%".includes(c) ? 1 : 0;
  // RFC 3986 §3.3 path-absolute: pchar = unreserved / pct-encoded / sub-delims / ":" / "@", and "/"
  PATH_CHAR[b] = REG_NAME_CHAR[b] === 1 || c === ":" || c === "@" || c === "/" ? 1 : 0;
}

/** Every character in the table, and every "%" followed by two hex digits (RFC 3986 §2.1). */
function allIn(table: Uint8Array, text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (table[c] !== 1) return false;
    if (c === 0x25 && !(isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2)))) return false;
  }
  return true;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Host = uri-host [ ":" port ] (RFC 9110 §7.2), uri-host = IP-literal / IPv4address / reg-name
 * (RFC 3986 §3.2.2). Stricter than the grammar where it does not matter to real hosts: the name
 * is not empty, IPvFuture literals are refused, and a port is 1 to 5 digits up to 65535.
 */
export function validHost(text: string | null): string | null {
  if (text === null || text === "") return null;
  let name = text;
  let port = "";
  if (text.charCodeAt(0) === 0x5b) {
    const close = text.indexOf("]");
    const inner = close < 0 ? null : parseIp(text.slice(1, close));
    if (inner === null || inner.kind !== "v6") return null;
    const rest = text.slice(close + 1);
    if (rest !== "" && rest[0] !== ":") return null;
    port = rest;
    name = "";
  } else {
    const colon = text.indexOf(":");
    if (colon >= 0) {
      name = text.slice(0, colon);
      port = text.slice(colon);
    }
    if (name === "" || !allIn(REG_NAME_CHAR, name)) return null;
  }
  return port === "" || isPortText(port.slice(1), 1) ? text : null;
}

/**
 * X-Forwarded-Prefix as a path prefix: absolute (starts with "/"), made of RFC 3986 §3.3 path
 * characters (so no space, control character, "?" or "#"), without empty segments ("//") or dot
 * segments ("." / ".." / their %2E spellings, RFC 3986 §5.2.4) that would move a path. A trailing
 * "/" is dropped, so "/" alone is "".
 */
export function validPrefix(text: string | null): string | null {
  if (text === null || text.charCodeAt(0) !== 0x2f || !allIn(PATH_CHAR, text)) return null;
  const trimmed = text.endsWith("/") ? text.slice(0, -1) : text;
  if (trimmed === "") return "";
  const segments = trimmed.slice(1).split("/");
  for (const segment of segments) {
    if (segment === "") return null;
    const dots = segment.toLowerCase().replaceAll("%2e", ".");
    if (dots === "." || dots === "..") return null;
  }
  return trimmed;
}

/** "http" or "https" (RFC 3986 §3.1: schemes are case-insensitive), lower-cased; else null. */
export function validScheme(text: string | null): string | null {
  if (text === null) return null;
  const lower = text.toLowerCase();
  return lower === "http" || lower === "https" ? lower : null;
}
