import { formatIp, type IpAddress, parseIp } from "./ip-address.ts";

/**
 * The PROXY protocol header (HAProxy, doc/proxy-protocol.txt, versions 1 and 2): the block a
 * layer-4 proxy sends first on a connection to say whose connection it relays. Read before any
 * HTTP byte; the caller passes everything received so far and learns whether to wait, where the
 * HTTP bytes begin and whose address to use, or that the connection must be dropped (§2: "Any
 * sequence which does not exactly match the protocol must be discarded").
 */

/** §2.1: the longest version 1 line, CRLF included ("PROXY UNKNOWN" with two full IPv6 addresses and ports). */
export const PROXY_V1_MAX_BYTES = 107;

/**
 * Our bound for a version 2 header: its 16 fixed bytes and up to 2048 bytes of addresses and
 * TLVs. The 16-bit length field would allow 65535, but what senders put there is far smaller:
 * the largest address block is AF_UNIX's 216 bytes (§2.2), and the registered TLVs (§2.2.1-2.2.7:
 * ALPN, an SNI authority of at most 255 bytes, a CRC32c, a unique id of at most 128 bytes, TLS
 * details, a namespace) and the cloud ones (AWS, Azure, GCP) come to well under 1 KiB. Bigger is
 * invalid, so a connection cannot make the server buffer 64 KiB before its first HTTP byte.
 */
export const PROXY_V2_MAX_BYTES = 16 + 2048;

/** The most bytes parseProxyHeader can need before it answers "header" or "failed". */
export const PROXY_HEADER_MAX_BYTES: number = PROXY_V2_MAX_BYTES;

export type ProxyHeaderResult =
  | { readonly kind: "incomplete" }
  | {
    readonly kind: "header";
    /** The header's length in bytes: the HTTP bytes start here. */
    readonly consumed: number;
    /** Whose connection this is; null for v1 UNKNOWN, v2 LOCAL, AF_UNSPEC and AF_UNIX (keep the peer). */
    readonly source: { readonly address: string; readonly port: number } | null;
  }
  | { readonly kind: "failed"; readonly message: string };

const INCOMPLETE: ProxyHeaderResult = { kind: "incomplete" };
const invalid = (message: string): ProxyHeaderResult => ({ kind: "failed", message });

const CR = 0x0d;
const LF = 0x0a;

/** §2.2: the 12-byte version 2 signature. */
const V2_SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];

/**
 * Reads a PROXY header from the start of a connection. "incomplete" only while the bytes so far
 * can still become a valid header within the bounds; anything else that is not a header is
 * "failed" at once (a plain HTTP request included: §2 forbids guessing whether a header is there).
 */
export function parseProxyHeader(bytes: Uint8Array): ProxyHeaderResult {
  if (bytes.length === 0) return INCOMPLETE;
  if (bytes[0] === V2_SIGNATURE[0]) return parseV2(bytes);
  if (bytes[0] === 0x50) return parseV1(bytes);
  return invalid("not a PROXY protocol header");
}

// ---- version 1 (§2.1) ----

const V1_PREFIX = "PROXY ";

/** Shortest text that completes each field of a TCP4 / TCP6 line: an address, an address, a port, a port. */
const MIN_FIELD = { TCP4: [7, 7, 1, 1], TCP6: [2, 2, 1, 1] } as const;

/** Suffixes that complete a valid prefix of an address, shortest first (every valid prefix has one). */
const ADDRESS_COMPLETIONS = ["", "0", ":", "::", ":0", ".0", "0.0", ".0.0", "0.0.0", ".0.0.0", "0.0.0.0"];

function parseV1(bytes: Uint8Array): ProxyHeaderResult {
  const limit = Math.min(bytes.length, PROXY_V1_MAX_BYTES);
  let cr = -1;
  for (let i = 0; i < limit; i++) {
    const b = bytes[i]!;
    if (b === CR) {
      cr = i;
      break;
    }
    // §2.1: a single LF does not end the line; nothing else in it is a control character or non-ASCII
    if (b === LF) return invalid("LF without CR in the PROXY line");
  }
  // A line still without its CR must leave room for the CRLF.
  if (cr < 0 && bytes.length > PROXY_V1_MAX_BYTES - 2) {
    return invalid("no CRLF in the first 107 bytes of the PROXY line");
  }
  const line = String.fromCharCode.apply(null, bytes.subarray(0, cr < 0 ? bytes.length : cr) as unknown as number[]);
  if (cr < 0) {
    const reason = checkV1(line, false);
    return reason === null ? INCOMPLETE : invalid(reason);
  }
  if (cr + 2 > PROXY_V1_MAX_BYTES) return invalid("no CRLF in the first 107 bytes of the PROXY line");
  const reason = checkV1(line, true);
  if (reason !== null) return invalid(reason);
  if (cr + 1 === bytes.length) return INCOMPLETE;
  if (bytes[cr + 1] !== LF) return invalid("CR without LF in the PROXY line");
  return { kind: "header", consumed: cr + 2, source: v1Source(line) };
}

/** The source of a checked, complete line. */
function v1Source(line: string): { readonly address: string; readonly port: number } | null {
  if (line.startsWith("PROXY UNKNOWN")) return null;
  const fields = line.slice(11).split(" ");
  const ip = parseIp(fields[0]!);
  return ip === null ? null : { address: formatIp(ip), port: Number(fields[2]) };
}

/**
 * Checks a v1 line without its CRLF (complete) or the start of one (not complete: then it must be
 * completable within the 107-byte bound). Returns why not, or null.
 */
function checkV1(line: string, complete: boolean): string | null {
  if (!line.startsWith(V1_PREFIX)) {
    return !complete && V1_PREFIX.startsWith(line) ? null : "not a PROXY protocol header";
  }
  const rest = line.slice(V1_PREFIX.length);
  // §2.1: for UNKNOWN the receiver ignores the rest of the line, which may be absent
  if (rest.startsWith("UNKNOWN")) return rest.length === 7 || rest[7] === " " ? null : "unknown PROXY protocol family";
  if (!complete && "UNKNOWN".startsWith(rest)) return null;
  const family = rest.slice(0, 5);
  if (family !== "TCP4 " && family !== "TCP6 ") {
    const partial = !complete && rest.length < 5 && ("TCP4 ".startsWith(rest) || "TCP6 ".startsWith(rest));
    return partial ? null : "PROXY family must be TCP4, TCP6 or UNKNOWN";
  }
  const v6 = family === "TCP6 ";
  const fields = rest.slice(5).split(" ");
  if (fields.length > 4) return "extra space or field in the PROXY line";
  if (complete && fields.length < 4) return "missing field in the PROXY line";
  let needed = 2; // the CRLF
  for (let f = 0; f < fields.length; f++) {
    const text = fields[f]!;
    const last = f === fields.length - 1;
    const completion = f < 2 ? addressCompletion(text, v6) : portCompletion(text);
    if (completion < 0 || (completion > 0 && (complete || !last))) {
      return f < 2 ? `invalid ${v6 ? "IPv6" : "IPv4"} address in the PROXY line` : "invalid port in the PROXY line";
    }
    needed += completion;
  }
  const minimum = v6 ? MIN_FIELD.TCP6 : MIN_FIELD.TCP4;
  for (let f = fields.length; f < 4; f++) needed += 1 + minimum[f]!;
  return line.length + needed <= PROXY_V1_MAX_BYTES ? null : "the PROXY line cannot end within 107 bytes";
}

/** How many characters at least complete text to an address of the family (0: it is one), or -1. */
function addressCompletion(text: string, v6: boolean): number {
  for (const suffix of ADDRESS_COMPLETIONS) {
    const ip = parseIp(text + suffix);
    if (ip !== null && (ip.kind === "v6") === v6) return suffix.length;
  }
  return -1;
}

/** §2.1: a decimal port 0-65535 without leading zeros. Characters needed to complete it (0 or 1), or -1. */
function portCompletion(text: string): number {
  if (text === "") return 1;
  if (text.length > 5 || (text.length > 1 && text[0] === "0")) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value <= 65535 ? 0 : -1;
}

// ---- version 2 (§2.2) ----

/** §2.2: the address block each PROXY family/transport byte needs; UDP and UNIX datagrams are refused. */
const V2_ADDRESS_BYTES: ReadonlyMap<number, number> = new Map([
  [0x00, 0], // AF_UNSPEC: no address; the connection keeps its own peer
  [0x11, 12], // TCP over IPv4: 2 * 4 + 2 * 2
  [0x21, 36], // TCP over IPv6: 2 * 16 + 2 * 2
  [0x31, 216], // UNIX stream: 2 * 108
]);

function parseV2(bytes: Uint8Array): ProxyHeaderResult {
  const n = bytes.length;
  for (let i = 0; i < V2_SIGNATURE.length && i < n; i++) {
    if (bytes[i] !== V2_SIGNATURE[i]) return invalid("not a PROXY protocol header");
  }
  if (n < 13) return INCOMPLETE;
  // §2.2: the 13th byte is the version (high nibble, must be 2) and the command (0 LOCAL, 1 PROXY)
  if (bytes[12]! >> 4 !== 2) return invalid("PROXY protocol version must be 2");
  const command = bytes[12]! & 0x0f;
  if (command > 1) return invalid("unknown PROXY protocol command");
  if (n < 14) return INCOMPLETE;
  const family = bytes[13]!;
  // §2.2: LOCAL (health checks) ignores the family; PROXY needs a known one
  const addressBytes = command === 0 ? 0 : V2_ADDRESS_BYTES.get(family);
  if (addressBytes === undefined) {
    const datagram = family === 0x12 || family === 0x22 || family === 0x32;
    return invalid(datagram ? "a datagram (UDP) connection cannot carry HTTP" : "unknown PROXY address family");
  }
  if (n < 16) return INCOMPLETE;
  const length = (bytes[14]! << 8) | bytes[15]!;
  const total = 16 + length;
  if (total > PROXY_V2_MAX_BYTES) return invalid(`PROXY header longer than ${PROXY_V2_MAX_BYTES} bytes`);
  if (length < addressBytes) return invalid("PROXY address block shorter than its family needs");
  // §2.2: TLVs follow the addresses; skipped, but they must fill the rest exactly
  if (command === 1 && family !== 0x00) {
    const reason = checkTlvs(bytes, 16 + addressBytes, total);
    if (reason !== null) return invalid(reason);
  }
  if (n < total) return INCOMPLETE;
  return { kind: "header", consumed: total, source: command === 1 ? v2Source(bytes, family) : null };
}

/** TLVs (§2.2: type, 16-bit length, value) in [start, end), as far as the bytes go. Why not, or null. */
function checkTlvs(bytes: Uint8Array, start: number, end: number): string | null {
  let offset = start;
  while (offset < end) {
    if (end - offset < 3) return "PROXY TLV shorter than its 3-byte header";
    if (offset + 3 > bytes.length) return null;
    offset += 3 + ((bytes[offset + 1]! << 8) | bytes[offset + 2]!);
    if (offset > end) return "PROXY TLV longer than the header";
  }
  return null;
}

function v2Source(bytes: Uint8Array, family: number): { readonly address: string; readonly port: number } | null {
  const word = (at: number): number =>
    ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
  let ip: IpAddress;
  let portAt: number;
  if (family === 0x11) {
    ip = { kind: "v4", value: word(16) };
    portAt = 24;
  } else if (family === 0x21) {
    ip = { kind: "v6", words: [word(16), word(20), word(24), word(28)] };
    portAt = 48;
  } else return null; // AF_UNSPEC and AF_UNIX: no IP address to show
  return { address: formatIp(ip), port: (bytes[portAt]! << 8) | bytes[portAt + 1]! };
}
