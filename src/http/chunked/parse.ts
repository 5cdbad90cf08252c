import { BACKSLASH, COLON, DQUOTE, EQUALS, hexValue, HTAB, QDTEXT, SEMICOLON, SP, TCHAR } from "../chars.ts";

/** Reading the chunked coding (RFC 9112 §7.1): chunk-size lines with extensions, and trailer field lines. encode.ts writes it. */

/**
 * chunk-size [ chunk-ext ] (RFC 9112 §7.1, §7.1.1):
 * chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ( token / quoted-string ) ] ).
 * Whitespace is allowed only where BWS stands, so "5 " alone is refused. Returns the size or null.
 */
export function parseChunkLine(buf: Uint8Array, start: number, end: number): number | null {
  let i = start;
  let size = 0;
  let significant = 0;
  while (i < end && hexValue(buf[i]!) >= 0) {
    if (size > 0 || buf[i] !== 0x30) significant++;
    if (significant > 12) return null; // more than 2^48 bytes: refuse rather than overflow
    size = size * 16 + hexValue(buf[i]!);
    i++;
  }
  if (i === start) return null;
  const skipBws = (): void => {
    while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
  };
  while (i < end) {
    skipBws();
    if (i === end || buf[i] !== SEMICOLON) return null;
    i++;
    skipBws();
    const nameStart = i;
    while (i < end && TCHAR[buf[i]!] === 1) i++;
    if (i === nameStart) return null;
    const afterName = i;
    skipBws();
    if (i < end && buf[i] === EQUALS) {
      i++;
      skipBws();
      if (i < end && buf[i] === DQUOTE) {
        const close = quotedStringEnd(buf, i, end);
        if (close === null) return null;
        i = close;
      } else {
        const valueStart = i;
        while (i < end && TCHAR[buf[i]!] === 1) i++;
        if (i === valueStart) return null;
      }
    } else {
      i = afterName; // the whitespace belonged before a following ";" (or is trailing: refused)
    }
  }
  return size;
}

/** Index just past the quoted-string starting at buf[start] (a DQUOTE), or null (RFC 9110 §5.6.4). */
function quotedStringEnd(buf: Uint8Array, start: number, end: number): number | null {
  for (let i = start + 1; i < end; i++) {
    const b = buf[i]!;
    if (b === DQUOTE) return i + 1;
    if (b === BACKSLASH) {
      const next = buf[i + 1];
      if (i + 1 >= end || next === undefined || !(next === HTAB || next >= 0x20) || next === 0x7f) return null;
      i++;
    } else if (QDTEXT[b] !== 1) {
      return null;
    }
  }
  return null;
}

/** field-name ":" field-value (RFC 9112 §5), for trailer lines. */
export function isFieldLine(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && TCHAR[buf[i]!] === 1) i++;
  if (i === start || i === end || buf[i] !== COLON) return false;
  for (i++; i < end; i++) {
    const b = buf[i]!;
    if (b !== HTAB && (b < 0x20 || b === 0x7f)) return false;
  }
  return true;
}
