/**
 * IP addresses as numbers: dotted-decimal IPv4 (RFC 3986 §3.2.2 IPv4address) and IPv6 text
 * (RFC 4291 §2.2), read in one left-to-right pass without regular expressions, and written back
 * the way people read them (RFC 5952 §4). The trust list, the forwarded fields and the PROXY
 * protocol header all read addresses through here.
 */

/** An IPv4 address as one unsigned 32-bit number; an IPv6 address as four, most significant first. */
export type IpAddress =
  | { readonly kind: "v4"; readonly value: number }
  | { readonly kind: "v6"; readonly words: readonly [number, number, number, number] };

/** The longest IPv6 text: six groups and a dotted IPv4 tail, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
const MAX_V6_TEXT = 45;

const GROUPS = new Uint16Array(8);

/**
 * Reads text[start, end) as dotted-decimal IPv4: exactly four decimal octets 0-255 without
 * leading zeros (RFC 3986 §3.2.2 dec-octet; a leading zero reads as octal to inet_aton, so it is
 * refused rather than guessed). Returns the address as a non-negative number, or -1.
 */
export function parseIpv4Range(text: string, start: number, end: number): number {
  let value = 0;
  let octets = 0;
  let i = start;
  for (;;) {
    const digitsStart = i;
    let octet = 0;
    while (i < end && i - digitsStart < 4) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      octet = octet * 10 + (c - 0x30);
      i++;
    }
    const length = i - digitsStart;
    if (length === 0 || length > 3 || octet > 255 || (length > 1 && text.charCodeAt(digitsStart) === 0x30)) return -1;
    value = value * 256 + octet;
    if (++octets === 4) return i === end ? value : -1;
    if (i >= end || text.charCodeAt(i) !== 0x2e) return -1;
    i++;
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * Reads text[start, end) as IPv6 text into GROUPS (RFC 4291 §2.2): eight groups of 1-4 hex
 * digits, or fewer around one "::" (which stands for one or more zero groups), the last 32 bits
 * optionally as dotted IPv4 (form 3). No zone id (RFC 4007 §11), no brackets.
 */
function parseIpv6Range(text: string, start: number, end: number): boolean {
  if (end - start < 2 || end - start > MAX_V6_TEXT) return false;
  let i = start;
  let count = 0;
  let gap = -1;
  if (text.charCodeAt(i) === 0x3a) {
    if (text.charCodeAt(i + 1) !== 0x3a) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    if (count === 8) return false;
    const groupStart = i;
    let group = 0;
    while (i < end && i - groupStart < 5) {
      const digit = hexDigit(text.charCodeAt(i));
      if (digit < 0) break;
      group = group * 16 + digit;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 0x2e) {
      // RFC 4291 §2.2 form 3: a dotted IPv4 tail fills the last two groups and ends the text.
      if (count > 6) return false;
      const v4 = parseIpv4Range(text, groupStart, end);
      if (v4 < 0) return false;
      GROUPS[count++] = Math.floor(v4 / 65536);
      GROUPS[count++] = v4 & 0xffff;
      break;
    }
    if (i === groupStart || i - groupStart > 4) return false;
    GROUPS[count++] = group;
    if (i === end) break;
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return false; // RFC 4291 §2.2: "::" can appear only once
      gap = count;
      i++;
    } else if (i === end) {
      return false; // a single trailing colon
    }
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false;
  const tail = count - gap;
  for (let k = 0; k < tail; k++) GROUPS[7 - k] = GROUPS[count - 1 - k]!;
  for (let k = gap; k < 8 - tail; k++) GROUPS[k] = 0;
  return true;
}

/**
 * Reads text[start, end) as an IPv4 or IPv6 address into out: 4 (out[0] is the address), 6
 * (out[0..3] are the words) or 0 (not an address). No allocation: the trust check calls it per
 * request.
 */
export function parseIpInto(text: string, start: number, end: number, out: Uint32Array): 0 | 4 | 6 {
  const v4 = parseIpv4Range(text, start, end);
  if (v4 >= 0) {
    out[0] = v4;
    return 4;
  }
  if (!parseIpv6Range(text, start, end)) return 0;
  for (let w = 0; w < 4; w++) out[w] = GROUPS[2 * w]! * 65536 + GROUPS[2 * w + 1]!;
  return 6;
}

const SCRATCH = new Uint32Array(4);

/** An IPv4 or IPv6 address in text form, or null. Strict: no brackets, port, zone id or surrounding space. */
export function parseIp(text: string): IpAddress | null {
  const family = parseIpInto(text, 0, text.length, SCRATCH);
  if (family === 4) return { kind: "v4", value: SCRATCH[0]! };
  if (family === 6) return { kind: "v6", words: [SCRATCH[0]!, SCRATCH[1]!, SCRATCH[2]!, SCRATCH[3]!] };
  return null;
}

/** Whether IPv6 words are an IPv4-mapped address, ::ffff:0:0/96 (RFC 4291 §2.5.5.2). */
export function isMappedV4(w0: number, w1: number, w2: number): boolean {
  return w0 === 0 && w1 === 0 && w2 === 0xffff;
}

/** Dotted-decimal text of a 32-bit address. */
export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * The address as people write it: IPv4 dotted; IPv4-mapped IPv6 as plain IPv4 (as the core
 * shows peers, src/http/client-address.ts); other IPv6 in RFC 5952 §4 form: lower-case hex
 * without leading zeros (§4.1, §4.3), the longest run of two or more zero groups, the first of
 * equal runs, as "::" (§4.2).
 */
export function formatIp(ip: IpAddress): string {
  if (ip.kind === "v4") return formatIpv4(ip.value);
  const [w0, w1, w2, w3] = ip.words;
  if (isMappedV4(w0, w1, w2)) return formatIpv4(w3);
  const groups = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  let bestStart = -1;
  let bestLength = 1; // §4.2.2: one zero group is not shortened
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** An address's normalized text (formatIp of parseIp), or null when the text is not an address. */
export function normalizeIp(text: string): string | null {
  const ip = parseIp(text);
  return ip === null ? null : formatIp(ip);
}
