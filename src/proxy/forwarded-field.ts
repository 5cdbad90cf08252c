import { HTAB, QDTEXT, SP, TCHAR } from "../http/chars.ts";
import { formatIp, parseIp } from "./ip-address.ts";

/**
 * The Forwarded field (RFC 7239), read in one left-to-right pass. Only what the forwarded view
 * needs is kept: each element's `for=` node, and the right-most `proto=` and `host=`.
 */

/** What one Forwarded field (all its lines joined, RFC 9110 §5.3) says. */
export interface ForwardedField {
  /**
   * Each element's `for=` node, left to right (nearest proxy last): a normalized address, or null
   * for "unknown" (RFC 7239 §6.2), an obfuscated identifier (§6.3) or an element without `for=`.
   */
  readonly hops: ReadonlyArray<string | null>;
  /** `proto=` of the right-most element that has one (unquoted), or null. */
  readonly proto: string | null;
  /** `host=` of the right-most element that has one (unquoted), or null. */
  readonly host: string | null;
}

const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

const isOws = (c: number): boolean => c === SP || c === HTAB;

/** RFC 7239 §6.3: obfnode / obfport = "_" 1*( ALPHA / DIGIT / "." / "_" / "-" ). */
function isObfuscated(text: string): boolean {
  if (text.length < 2 || text.charCodeAt(0) !== 0x5f) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!letter && !(c >= 0x30 && c <= 0x39) && c !== 0x2e && c !== 0x5f && c !== 0x2d) return false;
  }
  return true;
}

/** RFC 7239 §6: port = 1*5DIGIT. */
function isPortText(text: string): boolean {
  if (text.length === 0 || text.length > 5) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * A `for=` value (RFC 7239 §6): node = nodename [ ":" node-port ], nodename = IPv4address /
 * "[" IPv6address "]" / "unknown" / obfnode. Returns the normalized address, null for an
 * unknown or obfuscated node, or false when the value is not a node.
 */
export function parseNode(value: string): string | null | false {
  let name: string | null;
  let rest: string;
  if (value.charCodeAt(0) === 0x5b) {
    const close = value.indexOf("]");
    if (close < 0) return false;
    const ip = parseIp(value.slice(1, close));
    if (ip === null || ip.kind !== "v6") return false; // §6: brackets hold IPv6 only
    name = formatIp(ip);
    rest = value.slice(close + 1);
  } else {
    const colon = value.indexOf(":");
    const text = colon < 0 ? value : value.slice(0, colon);
    rest = colon < 0 ? "" : value.slice(colon);
    if (text.toLowerCase() === "unknown") name = null;
    else if (text.charCodeAt(0) === 0x5f) {
      if (!isObfuscated(text)) return false;
      name = null;
    } else {
      const ip = parseIp(text);
      if (ip === null || ip.kind !== "v4") return false; // §6: IPv6 must be bracketed
      name = formatIp(ip);
    }
  }
  if (rest === "") return name;
  if (rest.charCodeAt(0) !== 0x3a) return false;
  const port = rest.slice(1);
  return isPortText(port) || isObfuscated(port) ? name : false;
}

/** Reads a quoted-string (RFC 9110 §5.6.4) at value[start] === DQUOTE: its unescaped text and the index after it, or null. */
function readQuoted(value: string, start: number): { readonly text: string; readonly end: number } | null {
  let text = "";
  let i = start + 1;
  let run = i;
  while (i < value.length) {
    const c = value.charCodeAt(i);
    if (c === DQUOTE) return { text: text + value.slice(run, i), end: i + 1 };
    if (c === BACKSLASH) {
      // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
      const next = value.charCodeAt(i + 1);
      if (!(next === HTAB || (next >= 0x20 && next <= 0xff && next !== 0x7f))) return null;
      text += value.slice(run, i) + value[i + 1];
      i += 2;
      run = i;
      continue;
    }
    if (QDTEXT[c] !== 1) return null;
    i++;
  }
  return null;
}

/**
 * Parses a Forwarded field value (RFC 7239 §4):
 *   Forwarded = 1#forwarded-element; forwarded-element = [ pair ] *( ";" [ pair ] );
 *   pair = token "=" value; value = token / quoted-string.
 * Empty list elements are ignored (RFC 9110 §5.6.1); whitespace around ";" is tolerated (the
 * grammar has none; some proxies write "; "). Parameter names are case-insensitive and each
 * occurs at most once per element (§4); unknown parameters are extensions and skipped (§5.5).
 * Returns null, so the field is not used at all, when it breaks the grammar, when a `for=` value
 * is not a node (§6), or when it has more than maxHops elements.
 */
export function parseForwardedField(value: string, maxHops: number): ForwardedField | null {
  const n = value.length;
  const hops: (string | null)[] = [];
  let proto: string | null = null;
  let host: string | null = null;
  let i = 0;
  for (;;) {
    while (i < n && isOws(value.charCodeAt(i))) i++;
    if (i === n) break;
    if (value.charCodeAt(i) === COMMA) {
      i++;
      continue;
    }
    if (hops.length === maxHops) return null;
    const names = new Set<string>();
    let node: string | null = null;
    let expectPair = true;
    for (;;) {
      while (i < n && isOws(value.charCodeAt(i))) i++;
      const c = value.charCodeAt(i);
      if (i === n || c === COMMA) break;
      if (c === SEMICOLON) {
        i++;
        expectPair = true;
        continue;
      }
      if (!expectPair) return null;
      expectPair = false;
      const nameStart = i;
      while (i < n && TCHAR[value.charCodeAt(i)] === 1) i++;
      if (i === nameStart || value.charCodeAt(i) !== EQUALS) return null;
      const name = value.slice(nameStart, i).toLowerCase();
      if (names.has(name)) return null;
      names.add(name);
      i++;
      let text: string;
      if (value.charCodeAt(i) === DQUOTE) {
        const quoted = readQuoted(value, i);
        if (quoted === null) return null;
        text = quoted.text;
        i = quoted.end;
      } else {
        const valueStart = i;
        while (i < n && TCHAR[value.charCodeAt(i)] === 1) i++;
        if (i === valueStart) return null;
        text = value.slice(valueStart, i);
      }
      if (name === "for") {
        const parsed = parseNode(text);
        if (parsed === false) return null;
        node = parsed;
      } else if (name === "proto") proto = text;
      else if (name === "host") host = text;
    }
    hops.push(node);
  }
  return hops.length === 0 ? null : { hops, proto, host };
}
