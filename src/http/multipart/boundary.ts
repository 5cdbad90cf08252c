/**
 * The boundary of a multipart/form-data body (RFC 7578 §4.1), from its Content-Type. RFC 2046
 * §5.1.1: 1 to 70 characters of bchars, the last not a space.
 */
export type FormDataType =
  | { readonly kind: "form-data"; readonly boundary: string }
  /** Not multipart/form-data at all (RFC 9110 §15.5.16: 415). */
  | { readonly kind: "other" }
  /** multipart/form-data without a valid boundary (400). */
  | { readonly kind: "bad-boundary" };

/** bchars of RFC 2046 §5.1.1: DIGIT / ALPHA / "'()+_,-./:=?" and space (never last). */
const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

export function formDataType(contentType: string | undefined): FormDataType {
  if (contentType === undefined) return { kind: "other" };
  const [type = "", ...params] = splitParameters(contentType);
  if (type.trim().toLowerCase() !== "multipart/form-data") return { kind: "other" };
  const boundaries = params.filter((p) => p.name === "boundary");
  if (boundaries.length !== 1) return { kind: "bad-boundary" };
  const boundary = boundaries[0]!.value;
  return BCHARS.test(boundary) ? { kind: "form-data", boundary } : { kind: "bad-boundary" };
}

interface Parameter {
  readonly name: string;
  readonly value: string;
}

/**
 * The media type, then its parameters (RFC 9110 §5.6.6: token "=" ( token / quoted-string ),
 * names case-insensitive). A quoted value has its quoted-pairs undone (§5.6.4).
 */
function splitParameters(field: string): [string, ...Parameter[]] {
  const semicolon = field.indexOf(";");
  if (semicolon < 0) return [field];
  const params: Parameter[] = [];
  const rest = field.slice(semicolon + 1);
  const pattern = /\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*?)\s*(?:;|$)/gy;
  for (let match = pattern.exec(rest); match !== null && match[0] !== ""; match = pattern.exec(rest)) {
    const raw = match[2]!;
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    params.push({ name: match[1]!.toLowerCase(), value });
  }
  return [field.slice(0, semicolon), ...params];
}
