import { trimOws } from "../http/chars.ts";
import { parseForwardedField } from "./forwarded-field.ts";
import { isPortText, validHost, validPrefix, validScheme } from "./forwarded-values.ts";
import { formatIp, parseIp } from "./ip-address.ts";
import { isTrusted, type TrustList } from "./trust-list.ts";

/**
 * Who the client is, from the fields a trusted proxy sends. Nothing here is believed unless the
 * connection's peer is in the trust list, and then only as far as the chain of trusted hops
 * reaches: the "right-most untrusted" rule of nginx (real_ip_recursive on) and Express (trust
 * proxy), so a client cannot choose its address by sending the fields itself.
 *
 * Bounds, so hostile fields cost linear time and little memory: a field longer than
 * FORWARDED_MAX_CHARS (all its lines joined) or listing more than FORWARDED_MAX_HOPS hops is
 * ignored, as if malformed.
 */

export const FORWARDED_MAX_CHARS = 8192;
export const FORWARDED_MAX_HOPS = 64;

/** What the nearest trusted proxies say about the request. */
export interface ForwardedView {
  /** The client's address, normalized (IPv4-mapped as IPv4, no port, brackets or zone). */
  readonly client: string;
  /** "http" or "https", or null when no valid one was given. */
  readonly scheme: string | null;
  /** The Host the client asked for (RFC 9110 §7.2 syntax), or null. */
  readonly host: string | null;
  /** The path prefix the proxy strips ("/app", or "" for "/"), or null. */
  readonly prefix: string | null;
}

/** One field's lines joined with ", " (RFC 9110 §5.3); value is "" once it is too long. */
interface Joined {
  value: string;
  lines: number;
  tooLong: boolean;
}

interface Fields {
  forwarded?: Joined;
  forwardedFor?: Joined;
  realIp?: Joined;
  proto?: Joined;
  host?: Joined;
  prefix?: Joined;
}

function append(slot: Joined | undefined, value: string): Joined {
  if (slot === undefined) {
    const tooLong = value.length > FORWARDED_MAX_CHARS;
    return { value: tooLong ? "" : value, lines: 1, tooLong };
  }
  slot.lines++;
  if (!slot.tooLong) {
    if (slot.value.length + 2 + value.length > FORWARDED_MAX_CHARS) {
      slot.tooLong = true;
      slot.value = "";
    } else slot.value = `${slot.value}, ${value}`;
  }
  return slot;
}

/** The six fields in one pass, or null when none is present. */
function collect(headers: ReadonlyArray<readonly [string, string]>): Fields | null {
  const fields: Fields = {};
  let any = false;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    switch (name) {
      case "forwarded":
        fields.forwarded = append(fields.forwarded, value);
        break;
      case "x-forwarded-for":
        fields.forwardedFor = append(fields.forwardedFor, value);
        break;
      case "x-real-ip":
        fields.realIp = append(fields.realIp, value);
        break;
      case "x-forwarded-proto":
        fields.proto = append(fields.proto, value);
        break;
      case "x-forwarded-host":
        fields.host = append(fields.host, value);
        break;
      case "x-forwarded-prefix":
        fields.prefix = append(fields.prefix, value);
        break;
      default:
        continue;
    }
    any = true;
  }
  return any ? fields : null;
}

function usable(slot: Joined | undefined): string | null {
  return slot === undefined || slot.tooLong ? null : slot.value;
}

/** The right-most non-empty element of a comma-separated list (RFC 9110 §5.6.1), trimmed, or null. */
function rightmost(value: string | null): string | null {
  if (value === null) return null;
  let end = value.length;
  while (end > 0) {
    const comma = value.lastIndexOf(",", end - 1);
    const element = trimOws(value.slice(comma + 1, end));
    if (element !== "") return element;
    end = comma < 0 ? 0 : comma;
  }
  return null;
}

/**
 * One X-Forwarded-For or X-Real-IP hop, as proxies write them: an address, IPv4 with a port,
 * IPv6 in brackets with an optional port, or "unknown" (Squid; RFC 7239 §6.2's word). Returns
 * the normalized address, null for "unknown" (when allowed), or false when it is not a hop.
 */
function parseListHop(text: string, allowUnknown: boolean): string | null | false {
  if (allowUnknown && text.toLowerCase() === "unknown") return null;
  const ip = parseIp(text);
  if (ip !== null) return formatIp(ip);
  if (text.charCodeAt(0) === 0x5b) {
    const close = text.indexOf("]");
    const inner = close < 0 ? null : parseIp(text.slice(1, close));
    if (inner === null || inner.kind !== "v6") return false;
    const rest = text.slice(close + 1);
    return rest === "" || (rest[0] === ":" && isPortText(rest.slice(1), 1)) ? formatIp(inner) : false;
  }
  const colon = text.indexOf(":");
  if (colon < 0 || text.indexOf(":", colon + 1) >= 0 || !isPortText(text.slice(colon + 1), 1)) return false;
  const v4 = parseIp(text.slice(0, colon));
  return v4 !== null && v4.kind === "v4" ? formatIp(v4) : false;
}

/** X-Forwarded-For: a comma-separated list of hops, nearest last; null when any hop is malformed, or too many. */
function parseForwardedFor(value: string): (string | null)[] | null {
  const hops: (string | null)[] = [];
  for (const part of value.split(",")) {
    const element = trimOws(part);
    if (element === "") continue; // RFC 9110 §5.6.1: empty list elements are ignored
    if (hops.length === FORWARDED_MAX_HOPS) return null;
    const hop = parseListHop(element, true);
    if (hop === false) return null;
    hops.push(hop);
  }
  return hops.length === 0 ? null : hops;
}

/**
 * The right-most untrusted hop: walk from the nearest proxy outwards, past every hop that is
 * itself trusted. An unknown or obfuscated hop (RFC 7239 §6.2, §6.3) ends the walk, since nothing
 * beyond it can be checked: the client is then the last address the walk reached (the peer, or
 * a trusted proxy), as nginx keeps the last trusted address. Every hop trusted: the left-most.
 */
function walk(hops: ReadonlyArray<string | null>, peer: string, trust: TrustList): string {
  let last = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (hop === null) return last;
    if (!isTrusted(trust, hop)) return hop;
    last = hop;
  }
  return last;
}

/** The peer as the view shows it: zone dropped, normalized. */
function normalizePeer(peer: string): string {
  const percent = peer.indexOf("%");
  const ip = parseIp(percent < 0 ? peer : peer.slice(0, percent));
  return ip === null ? peer : formatIp(ip);
}

/**
 * What a trusted proxy says about the request, or null when the peer is not trusted or sent none
 * of Forwarded, X-Forwarded-For, X-Real-IP, X-Forwarded-Proto, X-Forwarded-Host and
 * X-Forwarded-Prefix (then nothing changes).
 *
 * The client's address comes from the first usable source of X-Forwarded-For, then Forwarded
 * (RFC 7239), then X-Real-IP (one line, one address); a malformed or oversized field is ignored
 * as a whole and the next source is read; with none usable the client is the peer. X-Forwarded-For
 * comes first because nginx, HAProxy, Caddy and Traefik all append to it: a client's own
 * Forwarded or X-Real-IP, which such a proxy passes through untouched, is then never read. Scheme
 * and host: the right-most value of X-Forwarded-Proto / X-Forwarded-Host, else Forwarded's
 * right-most `proto=` / `host=`. Prefix: the right-most X-Forwarded-Prefix value.
 *
 * A proxy that sends no X-Forwarded-For must write or strip Forwarded and X-Real-IP itself: one
 * that passes a client's own through lets that client choose its address, since the server
 * cannot tell who wrote a field.
 */
export function forwardedView(
  peer: string,
  headers: ReadonlyArray<readonly [string, string]>,
  trust: TrustList,
): ForwardedView | null {
  if (!isTrusted(trust, peer)) return null;
  const fields = collect(headers);
  if (fields === null) return null;
  const self = normalizePeer(peer);
  const forwardedText = usable(fields.forwarded);
  const forwarded = forwardedText === null ? null : parseForwardedField(forwardedText, FORWARDED_MAX_HOPS);
  const forwardedForText = usable(fields.forwardedFor);
  const hops = forwardedForText === null ? null : parseForwardedFor(forwardedForText);
  let client = self;
  if (hops !== null) client = walk(hops, self, trust);
  else if (forwarded !== null) client = walk(forwarded.hops, self, trust);
  else {
    const realIpText = fields.realIp?.lines === 1 ? usable(fields.realIp) : null;
    const realIp = realIpText === null ? false : parseListHop(trimOws(realIpText), false);
    if (typeof realIp === "string") client = realIp;
  }
  return {
    client,
    scheme: validScheme(rightmost(usable(fields.proto)) ?? forwarded?.proto ?? null),
    host: validHost(rightmost(usable(fields.host)) ?? forwarded?.host ?? null),
    prefix: validPrefix(rightmost(usable(fields.prefix))),
  };
}
