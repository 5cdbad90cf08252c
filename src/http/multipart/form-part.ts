import type { PartHeaders } from "./part-headers.ts";

/** What a part of a multipart/form-data body is (RFC 7578 §4.2): its field name, and its file name if a file. */
export type FormPart =
  | { readonly kind: "part"; readonly name: string; readonly filename: string | null }
  | { readonly kind: "refused"; readonly message: string };

/** RFC 9110 §5.6.2 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 8187 §3.2.1 attr-char, and pct-encoded. */
const EXT_VALUE = /^UTF-8'[^']*'((?:[!#$&+\-.^_`|~0-9A-Za-z]|%[0-9A-Fa-f]{2})*)$/i;
/** Content-Transfer-Encoding is deprecated (RFC 7578 §4.7); only the identity ones are taken. */
const IDENTITY = new Set(["7bit", "8bit", "binary"]);

/**
 * Each part names itself with `Content-Disposition: form-data; name="..."` (RFC 7578 §4.2), and
 * a file with `filename="..."` or `filename*=UTF-8''...` (RFC 8187; it wins over filename, as RFC
 * 6266 §4.3 says). A quoted value is taken as sent, backslashes included: browsers do not escape
 * them (they send `"` as %22, which stays as it is here), so a backslash is never undone into
 * something else. A parameter twice, or a value that does not parse, refuses the part.
 */
export function formPart(headers: PartHeaders): FormPart {
  const dispositions = headers.filter(([name]) => name === "content-disposition");
  if (dispositions.length !== 1) return refused("a part needs one Content-Disposition");
  const encoding = headers.find(([name]) => name === "content-transfer-encoding")?.[1];
  if (encoding !== undefined && !IDENTITY.has(encoding.toLowerCase())) return refused("a transfer encoding");
  const parsed = parseDisposition(dispositions[0]![1]);
  if (parsed === null || parsed.type !== "form-data") return refused("a malformed Content-Disposition");
  const name = parsed.params.get("name");
  if (name === undefined) return refused("a part without a name");
  const extended = parsed.params.get("filename*");
  const filename = extended === undefined ? parsed.params.get("filename") : extValue(extended);
  if (filename === null) return refused("a filename* that is not UTF-8''");
  return { kind: "part", name, filename: filename ?? null };
}

interface Disposition {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

/** disposition-type *( OWS ";" OWS name "=" ( token / quoted-string ) ) (RFC 6266 §4.1). */
function parseDisposition(field: string): Disposition | null {
  const semicolon = field.indexOf(";");
  const type = (semicolon < 0 ? field : field.slice(0, semicolon)).trim().toLowerCase();
  if (!TOKEN.test(type)) return null;
  const params = new Map<string, string>();
  let rest = semicolon < 0 ? "" : field.slice(semicolon);
  while (rest.trim() !== "") {
    const match = /^\s*;\s*([^=\s;]+)\s*=\s*("[^"]*"|[^;\s"]+)\s*/.exec(rest);
    if (match === null) return null;
    const name = match[1]!.toLowerCase();
    if (!TOKEN.test(name.replace(/\*$/, "")) || params.has(name)) return null;
    const raw = match[2]!;
    params.set(name, raw.startsWith('"') ? raw.slice(1, -1) : raw);
    rest = rest.slice(match[0].length);
  }
  return { type, params };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** RFC 8187 ext-value, UTF-8 only: the decoded text, or null. */
function extValue(value: string): string | null {
  const match = EXT_VALUE.exec(value);
  if (match === null) return null;
  const encoded = match[1]!;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === "%") {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(encoded.charCodeAt(i));
    }
  }
  try {
    return decoder.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

function refused(message: string): FormPart {
  return { kind: "refused", message };
}
