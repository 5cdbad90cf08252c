/** A part's header fields, names in lower case, values as sent (UTF-8 decoded), in order. */
export type PartHeaders = ReadonlyArray<readonly [string, string]>;

/** RFC 9110 §5.6.2 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible characters, spaces and tabs (RFC 9110 §5.5 field-value); UTF-8 beyond ASCII is allowed (RFC 7578 §5.1.3). */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The header block of one part (RFC 2046 §5.1.1: RFC 822 style fields, CRLF-separated), or
 * null when it is not one: a line without a colon, a name that is not a token, a folded line
 * (obsolete, RFC 9112 §5.2), a control character, or bytes that are not UTF-8 (browsers send
 * file names in UTF-8, RFC 7578 §4.2).
 */
export function parsePartHeaders(block: Uint8Array): PartHeaders | null {
  if (block.length === 0) return [];
  let text: string;
  try {
    text = decoder.decode(block);
  } catch {
    return null;
  }
  const fields: Array<readonly [string, string]> = [];
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) return null;
    fields.push([name.toLowerCase(), value]);
  }
  return fields;
}
