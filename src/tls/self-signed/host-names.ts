import { type IpAddress, parseIp } from "../../proxy/ip-address.ts";

/**
 * The hosts a certificate names, read from the caller's list: each an IP literal (the repo's one
 * strict reader, src/proxy/ip-address.ts: dotted IPv4, IPv6 text with "::", no brackets, port or
 * zone id) or a DNS host name. They become the subjectAltName's iPAddress and dNSName entries
 * (RFC 5280 §4.2.1.6), which is what TLS clients match (RFC 6125 §6.4 names, RFC 2818 §3.1 addresses).
 */

export type SubjectAltName =
  | { readonly kind: "dns"; readonly name: string }
  /** 4 octets for IPv4, 16 for IPv6, network order (RFC 5280 §4.2.1.6, RFC 791, RFC 4291). */
  | { readonly kind: "ip"; readonly text: string; readonly octets: Uint8Array<ArrayBuffer> };

export type HostsResult =
  | { readonly kind: "ok"; readonly names: readonly SubjectAltName[] }
  | { readonly kind: "failed"; readonly message: string };

/** RFC 1035 §2.3.4: 255 octets on the wire are at most 253 characters of text. */
const MAX_NAME = 253;
/** RFC 1035 §2.3.4: a label is at most 63 octets. */
const MAX_LABEL = 63;

function isLetterOrDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * A label of a host name: letters, digits and hyphens, starting and ending with a letter or digit
 * (RFC 1035 §2.3.1, with a leading digit allowed by RFC 1123 §2.1), 1-63 characters.
 */
function isLabel(label: string): boolean {
  if (label.length === 0 || label.length > MAX_LABEL) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const hyphen = c === 0x2d && i > 0 && i < label.length - 1;
    if (!hyphen && !isLetterOrDigit(c)) return false;
  }
  return true;
}

/**
 * Whether the text is a host name in the preferred syntax, ASCII only (an internationalised name
 * goes in as its A-label, RFC 5280 §7.2). The last label may not be all digits (RFC 3696 §2), so
 * "256.1.1.1" or "127.1" is refused rather than certified as a name that looks like an address.
 */
export function isHostName(text: string): boolean {
  if (text.length === 0 || text.length > MAX_NAME) return false;
  const labels = text.split(".");
  if (!labels.every(isLabel)) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]!);
}

/** The address's octets in network order. */
export function ipOctets(ip: IpAddress): Uint8Array<ArrayBuffer> {
  const words = ip.kind === "v4" ? [ip.value] : ip.words;
  const octets = new Uint8Array(words.length * 4);
  words.forEach((word, i) => {
    for (let k = 0; k < 4; k++) octets[i * 4 + k] = (word >>> (24 - 8 * k)) & 0xff;
  });
  return octets;
}

/** What one host becomes, or why it cannot be named. */
function readHost(host: string): SubjectAltName | string {
  const ip = parseIp(host);
  if (ip !== null) return { kind: "ip", text: host, octets: ipOctets(ip) };
  if (isHostName(host)) return { kind: "dns", name: host.toLowerCase() };
  return `${JSON.stringify(host)} is neither an IP address nor a DNS host name`;
}

/** A key that is equal for names a client treats as equal: DNS names ignore case (RFC 4343 §3). */
function identity(name: SubjectAltName): string {
  return name.kind === "dns" ? `dns:${name.name}` : `ip:${name.octets.join(".")}`;
}

/** Every host read, in order, duplicates dropped; the first one that is not a host fails the list. */
export function readHosts(hosts: readonly string[]): HostsResult {
  if (hosts.length === 0) return { kind: "failed", message: "a self-signed certificate needs at least one host" };
  const names: SubjectAltName[] = [];
  const seen = new Set<string>();
  for (const host of hosts) {
    const name = readHost(host);
    if (typeof name === "string") return { kind: "failed", message: name };
    const key = identity(name);
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return { kind: "ok", names };
}
