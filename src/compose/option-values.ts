/** Checks of option values that both doors share (the command line's flags, serve()'s options). */

/** RFC 9110 §5.1: field-name = token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110 §5.5: a field value of visible characters, spaces and tabs, trimmed. */
const FIELD_VALUE = /^([\x21-\x7e\x80-\xff]([\x20-\x7e\t\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;
/** What the server frames or sets itself (RFC 9112 §6, RFC 9110 §6.6.1, §7.6.1): not for extra headers. */
const SERVER_FIELDS = new Set([
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "date",
  "server",
]);

export type FieldCheck =
  | { readonly kind: "ok"; readonly field: readonly [string, string] }
  /** expected: what a valid value looks like; null when the value is valid but not allowed (message says why). */
  | { readonly kind: "failed"; readonly message: string };

/** One extra response field (--header, serve({ headers })): a valid name and value, not one the server sets. */
export function extraField(name: string, value: string, option: string): FieldCheck {
  const trimmed = value.trim();
  if (!TOKEN.test(name) || !FIELD_VALUE.test(trimmed)) {
    return { kind: "failed", message: `invalid field for ${option}: '${name}: ${value}'` };
  }
  if (SERVER_FIELDS.has(name.toLowerCase())) {
    return { kind: "failed", message: `${option} cannot set ${name}: the server sets it itself` };
  }
  return { kind: "ok", field: [name, trimmed] };
}

/** "Name: value" as --header takes it; null when it is not a valid field line. */
export function fieldLine(text: string): readonly [string, string] | null {
  const colon = text.indexOf(":");
  if (colon <= 0) return null;
  const name = text.slice(0, colon);
  const value = text.slice(colon + 1).trim();
  return TOKEN.test(name) && FIELD_VALUE.test(value) ? [name, value] : null;
}

/** "/files" from "/files", "/files/" or "files"; "" for "/"; null when it is not a plain path. */
export function basePath(text: string): string | null {
  const path = (text.startsWith("/") ? text : `/${text}`).replace(/\/+$/, "");
  if (path === "") return "";
  if (!/^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/.test(path)) return null;
  return path.split("/").some((segment) => segment === "." || segment === "..") ? null : path;
}

/** The one wording of a value an option cannot take (or a missing one). */
export function badValue(name: string, text: string | null, expected: string): string {
  return text === null
    ? `option '${name}' needs ${expected}`
    : `invalid value '${text}' for ${name} (expected ${expected})`;
}

/** PROXY headers are read only from peers whose forwarding is trusted. */
export function proxyProtocolNeedsTrust(proxyProtocol: boolean, trusted: boolean, names: string): string | null {
  return proxyProtocol && !trusted ? `${names}: a PROXY header is read only from trusted peers` : null;
}
