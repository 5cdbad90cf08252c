import { formatIp, isMappedV4, parseIpInto } from "./ip-address.ts";

export { parseIp } from "./ip-address.ts";

/**
 * The proxies whose forwarding fields are believed: the value of `--trust-proxy LIST`. Build it
 * with parseTrustList; isTrusted reads the numeric tables, which hold each network pre-masked.
 */
export interface TrustList {
  /** The entries as networks in CIDR form, keywords expanded, in order: for the banner and logs. */
  readonly entries: ReadonlyArray<string>;
  /** IPv4 networks: [network, mask] pairs. */
  readonly v4: Uint32Array;
  /** IPv6 networks: four network words, then four mask words, per entry. */
  readonly v6: Uint32Array;
}

export type TrustListResult = { readonly kind: "ok"; readonly list: TrustList } | {
  readonly kind: "failed";
  readonly message: string;
};

/**
 * The named groups. loopback: 127.0.0.0/8 (RFC 1122 §3.2.1.3) and ::1 (RFC 4291 §2.5.3).
 * private: the RFC 1918 §3 IPv4 blocks and IPv6 unique local addresses fc00::/7 (RFC 4193 §3).
 * A Map, not an object, so an entry like "constructor" finds nothing.
 */
const KEYWORDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["loopback", ["127.0.0.0/8", "::1/128"]],
  ["private", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]],
]);

/** Entries people write to mean "everyone". Refused: see everyoneMessage. */
const EVERYONE = new Set(["*", "all", "any", "everyone", "true"]);

function everyoneMessage(entry: string): string {
  return `entry "${entry}" would trust every address: any client could then choose its own address by sending a ` +
    `forwarding header; list the proxies' addresses or networks instead (or "loopback", "private")`;
}

interface Network {
  readonly family: 4 | 6;
  /** Network words (one for IPv4), masked. */
  readonly words: readonly number[];
  readonly masks: readonly number[];
  readonly prefix: number;
}

type EntryResult = { readonly kind: "ok"; readonly networks: readonly Network[] } | {
  readonly kind: "failed";
  readonly message: string;
};

/** The mask of a prefix length within one 32-bit word that starts at bit `from`. */
function wordMask(prefix: number, from: number): number {
  const bits = Math.max(0, Math.min(32, prefix - from));
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** A prefix length: decimal digits without a leading zero (so "/08" is not read two ways), 0 to max. */
function parsePrefix(text: string, max: number): number {
  if (text.length === 0 || text.length > 3 || (text.length > 1 && text[0] === "0")) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value <= max ? value : -1;
}

const ENTRY_WORDS = new Uint32Array(4);

/**
 * One address or CIDR block (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6). Host bits beyond
 * the prefix are accepted and masked off, as nginx's set_real_ip_from does ("10.1.2.3/8" is
 * 10.0.0.0/8; the normalized entry shows the network). An IPv6 block inside the IPv4-mapped
 * range ::ffff:0:0/96 with a prefix of 96 or more is the IPv4 block it maps, since connections
 * show mapped peers as IPv4; other IPv6 blocks match only IPv6 peers.
 */
function parseNetwork(entry: string): EntryResult {
  const slash = entry.indexOf("/");
  const addressText = slash < 0 ? entry : entry.slice(0, slash);
  let family = parseIpInto(addressText, 0, addressText.length, ENTRY_WORDS);
  if (family === 0) {
    const why = addressText.includes("%") ? " (zone ids are not compared: write the address without %zone)" : "";
    return { kind: "failed", message: `entry "${entry}" is not an IPv4 or IPv6 address or CIDR block${why}` };
  }
  let prefix = family === 4 ? 32 : 128;
  if (slash >= 0) {
    prefix = parsePrefix(entry.slice(slash + 1), family === 4 ? 32 : 128);
    if (prefix < 0) {
      const range = family === 4 ? "1 to 32" : "1 to 128";
      return { kind: "failed", message: `entry "${entry}": the prefix length must be a decimal number from ${range}` };
    }
  }
  let words = family === 4 ? [ENTRY_WORDS[0]!] : [ENTRY_WORDS[0]!, ENTRY_WORDS[1]!, ENTRY_WORDS[2]!, ENTRY_WORDS[3]!];
  if (family === 6 && prefix >= 96 && isMappedV4(words[0]!, words[1]!, words[2]!)) {
    family = 4;
    words = [words[3]!];
    prefix -= 96;
  }
  if (prefix === 0) return { kind: "failed", message: everyoneMessage(entry) };
  const masks = words.map((_, w) => wordMask(prefix, 32 * w));
  const masked = words.map((word, w) => (word & masks[w]!) >>> 0);
  return { kind: "ok", networks: [{ family, words: masked, masks, prefix }] };
}

function parseEntry(entry: string): EntryResult {
  const lower = entry.toLowerCase();
  if (EVERYONE.has(lower)) return { kind: "failed", message: everyoneMessage(entry) };
  const group = KEYWORDS.get(lower);
  if (group === undefined) return parseNetwork(entry);
  const networks: Network[] = [];
  for (const member of group) {
    const parsed = parseNetwork(member);
    if (parsed.kind === "ok") networks.push(...parsed.networks);
  }
  return { kind: "ok", networks };
}

function describe(network: Network): string {
  const address = network.family === 4
    ? formatIp({ kind: "v4", value: network.words[0]! })
    : formatIp({ kind: "v6", words: [network.words[0]!, network.words[1]!, network.words[2]!, network.words[3]!] });
  return `${address}/${network.prefix}`;
}

/**
 * Reads a trust list: comma-separated entries, each an IPv4 or IPv6 address, a CIDR block, or
 * the keyword "loopback" or "private" (case-insensitive), with spaces allowed around entries.
 * Empty text, empty entries and "trust everyone" (`*`, `all`, a /0 block) are errors.
 */
export function parseTrustList(text: string): TrustListResult {
  if (text.trim() === "") {
    return { kind: "failed", message: "the trust list is empty: give at least one address, network or keyword" };
  }
  const networks: Network[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") {
      return { kind: "failed", message: `empty entry in "${text}" (two commas together, or one at an end)` };
    }
    const parsed = parseEntry(entry);
    if (parsed.kind === "failed") return parsed;
    networks.push(...parsed.networks);
  }
  const v4 = networks.filter((n) => n.family === 4);
  const v6 = networks.filter((n) => n.family === 6);
  const v4Table = new Uint32Array(v4.length * 2);
  v4.forEach((n, i) => {
    v4Table[2 * i] = n.words[0]!;
    v4Table[2 * i + 1] = n.masks[0]!;
  });
  const v6Table = new Uint32Array(v6.length * 8);
  v6.forEach((n, i) => {
    for (let w = 0; w < 4; w++) {
      v6Table[8 * i + w] = n.words[w]!;
      v6Table[8 * i + 4 + w] = n.masks[w]!;
    }
  });
  return { kind: "ok", list: { entries: networks.map(describe), v4: v4Table, v6: v6Table } };
}

const PEER = new Uint32Array(4);

/**
 * Whether an address, as a connection shows it, is in the list. IPv4-mapped IPv6 addresses
 * (::ffff:1.2.3.4, RFC 4291 §2.5.5.2) are compared as the IPv4 address they carry; an IPv6 zone
 * id ("fe80::1%eth0", RFC 4007 §11) is dropped before comparing. Anything that is not an address
 * (a Unix socket path, "") is not trusted. One pass over the text, no allocation.
 */
export function isTrusted(list: TrustList, address: string): boolean {
  let end = address.length;
  const percent = address.indexOf("%");
  if (percent >= 0) {
    if (percent === end - 1 || !address.includes(":")) return false;
    end = percent;
  }
  let family = parseIpInto(address, 0, end, PEER);
  if (family === 6 && isMappedV4(PEER[0]!, PEER[1]!, PEER[2]!)) {
    if (percent >= 0) return false; // a zone belongs to a link-local IPv6 address, not a mapped IPv4 one
    family = 4;
    PEER[0] = PEER[3]!;
  }
  if (family === 4) {
    const a = PEER[0]!;
    const table = list.v4;
    for (let i = 0; i + 1 < table.length; i += 2) if (((a & table[i + 1]!) >>> 0) === table[i]) return true;
    return false;
  }
  if (family === 6) {
    const w0 = PEER[0]!, w1 = PEER[1]!, w2 = PEER[2]!, w3 = PEER[3]!;
    const table = list.v6;
    for (let i = 0; i + 7 < table.length; i += 8) {
      if (
        ((w0 & table[i + 4]!) >>> 0) === table[i] && ((w1 & table[i + 5]!) >>> 0) === table[i + 1] &&
        ((w2 & table[i + 6]!) >>> 0) === table[i + 2] && ((w3 & table[i + 7]!) >>> 0) === table[i + 3]
      ) return true;
    }
  }
  return false;
}
