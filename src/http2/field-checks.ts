import { FIELD_VALUE_CHAR, HTAB, SP, TCHAR } from "../http/chars.ts";

/**
 * §8.2.2: fields that only make sense on one HTTP/1.1 connection; a message carrying one is
 * malformed (TE excepted when it is "trailers", checked apart), and a response drops them.
 */
export const CONNECTION_SPECIFIC: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

/**
 * §8.2.1: a field name is a token (RFC 9110 §5.1; stricter than §8.2.1's minimum, as the
 * HTTP/1.1 parser) with no uppercase letter; pseudo-header names are checked apart.
 */
export function validFieldName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0xff || TCHAR[c] !== 1 || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

/**
 * §8.2.1: no NUL, CR or LF anywhere (nor any other control but HTAB, as the HTTP/1.1 parser:
 * RFC 9110 §5.5), and no SP or HTAB at either end.
 */
export function validFieldValue(value: string): boolean {
  const last = value.length - 1;
  if (last >= 0 && (isWhitespace(value.charCodeAt(0)) || isWhitespace(value.charCodeAt(last)))) return false;
  for (let i = 0; i <= last; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE_CHAR[c] !== 1) return false;
  }
  return true;
}

function isWhitespace(c: number): boolean {
  return c === SP || c === HTAB;
}

/**
 * Why a regular field (not a pseudo-header) makes its message malformed, or null: its name or
 * value (§8.2.1), a connection-specific field (§8.2.2), or TE other than "trailers" (§8.2.2).
 */
export function regularFieldProblem(name: string, value: string): string | null {
  if (!validFieldName(name)) return "a field name that is not a lower-case token";
  if (!validFieldValue(value)) return `an invalid value in the ${name} field`;
  if (CONNECTION_SPECIFIC.has(name)) return `the connection-specific field ${name}`;
  if (name === "te" && value.toLowerCase() !== "trailers") return 'TE other than "trailers"';
  return null;
}
