/**
 * permessage-deflate (RFC 7692) as configured and as negotiated. Bun's option names:
 * `perMessageDeflate: true | { compress, decompress }`, where "shared" keeps no window between
 * messages (Bun's default for `true`) and "dedicated" keeps one per connection.
 */

/** One direction's setting: off, on without context takeover, on with it. */
export type DeflateMode = "off" | "shared" | "dedicated";

export interface DeflateConfig {
  /** Messages the server sends: whether it compresses them, and whether its window carries over. */
  readonly compress: DeflateMode;
  /** Messages the client sends: whether the server lets the client's window carry over (costs 32 KiB per connection). */
  readonly decompress: DeflateMode;
}

/** What a handshake agreed on (RFC 7692 §7.1): the windows and whether they carry over from message to message. */
export interface DeflateParams {
  /** §7.1.1.1: the server resets its compressor after each message. */
  readonly serverNoContextTakeover: boolean;
  /** §7.1.1.2: the client resets its compressor after each message (so may the server's decompressor). */
  readonly clientNoContextTakeover: boolean;
  /** §7.1.2.1: the server's LZ77 window, 2^bits bytes. */
  readonly serverMaxWindowBits: number;
  /** Whether the server compresses what it sends at all (the extension lets it send anything uncompressed). */
  readonly compress: boolean;
}

/** Bun's WebSocketCompressor values: "disable", "shared", "dedicated", or a dedicated one of a given size. */
type BunCompressor = boolean | string | undefined;

/**
 * The config of a handler's `perMessageDeflate` (Bun's shape), or null when it is off (the
 * default): true is { compress: "shared", decompress: "shared" }, as in Bun; Bun's sizes
 * ("3KB" ... "256KB") are dedicated ones here, with zlib's default window and memory.
 */
export function deflateConfig(option: unknown): DeflateConfig | null {
  if (option === undefined || option === false || option === null) return null;
  if (option === true) return { compress: "shared", decompress: "shared" };
  if (typeof option !== "object") {
    throw new TypeError("perMessageDeflate must be a boolean or { compress, decompress }");
  }
  const { compress, decompress } = option as { compress?: BunCompressor; decompress?: BunCompressor };
  const config = { compress: mode(compress, "compress"), decompress: mode(decompress, "decompress") };
  return config.compress === "off" && config.decompress === "off" ? null : config;
}

const SIZES: ReadonlySet<string> = new Set(["3KB", "4KB", "8KB", "16KB", "32KB", "64KB", "128KB", "256KB"]);

function mode(value: BunCompressor, name: string): DeflateMode {
  if (value === undefined || value === false || value === "disable") return "off";
  if (value === true || value === "shared") return "shared";
  if (value === "dedicated" || (typeof value === "string" && SIZES.has(value))) return "dedicated";
  throw new TypeError(`perMessageDeflate.${name} must be a boolean, "disable", "shared", "dedicated" or a size`);
}
