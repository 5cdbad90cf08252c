/** Byte classes from the RFC 9110 / RFC 3986 grammars, as lookup tables indexed by byte. */

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
export const SEMICOLON = 0x3b;
export const EQUALS = 0x3d;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;

function table(test: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = test(b) ? 1 : 0;
  return t;
}

const isAlnum = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** tchar: RFC 9110 §5.6.2 (token characters, used by methods and field names). */
export const TCHAR = table((b) => isAlnum(b) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(b)));

/** VCHAR (RFC 5234): what the request-line tokenizer accepts inside a request-target. */
export const VCHAR = table((b) => b > 0x20 && b < 0x7f);

/**
 * Characters of a request-target (RFC 9112 §3.2, built from RFC 3986): unreserved, sub-delims,
 * ":", "@", "/", "?", "%" (pct-encoded), and "[" "]" (IP literals in absolute-form). Anything
 * else (`"`, `<`, `>`, `\`, `^`, backtick, `{`, `|`, `}`, `#`) must arrive percent-encoded.
 */
export const TARGET_CHAR = table((b) => isAlnum(b) || "-._~!$&'()*+,;=:@/?%[]".includes(String.fromCharCode(b)));

/** field-vchar / SP / HTAB: RFC 9110 §5.5 (obs-text 0x80-0xFF allowed, CTLs and DEL not). */
export const FIELD_VALUE_CHAR = table((b) => b === HTAB || (b >= 0x20 && b !== 0x7f));

/** qdtext: RFC 9110 §5.6.4 (inside a quoted-string, besides quoted-pair). */
export const QDTEXT = table(
  (b) => b === HTAB || b === SP || b === 0x21 || (b >= 0x23 && b <= 0x5b) || (b >= 0x5d && b <= 0x7e) || b >= 0x80,
);

/** Value of a hex digit, or -1. */
export function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

/** Latin-1 decode of bytes [start, end): header bytes map 1:1 to code points. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 0) return "";
  if (length < 1024) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let out = "";
  for (let i = start; i < end; i += 1024) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 1024)) as unknown as number[]);
  }
  return out;
}

/** Removes OWS (SP / HTAB, RFC 9110 §5.6.3) at both ends. */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return text.slice(start, end);
}
