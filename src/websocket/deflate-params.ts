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

/** A handler's `perMessageDeflate` read: on with a config, off (null), or a value Bun would not take. */
export type DeflateOption =
  | { readonly kind: "ok"; readonly config: DeflateConfig | null }
  | { readonly kind: "invalid"; readonly message: string };

/** What each side of `{ compress, decompress }` may be (Bun's WebSocketCompressor, or a boolean). */
export const DEFLATE_VALUES = 'true, false, "disable", "shared", "dedicated" or a size ("3KB" to "256KB")';

const SIZES: ReadonlySet<string> = new Set(["3KB", "4KB", "8KB", "16KB", "32KB", "64KB", "128KB", "256KB"]);

/**
 * A handler's `perMessageDeflate` (Bun's shape), off by default: true is { compress: "shared",
 * decompress: "shared" }, as in Bun; Bun's sizes ("3KB" ... "256KB") are dedicated ones here,
 * with zlib's default window and memory; both sides off is off.
 */
export function deflateOption(option: unknown): DeflateOption {
  if (option === undefined || option === false || option === null) return { kind: "ok", config: null };
  if (option === true) return { kind: "ok", config: { compress: "shared", decompress: "shared" } };
  if (typeof option !== "object") return invalid("perMessageDeflate", "a boolean or { compress, decompress }");
  const { compress, decompress } = option as { compress?: unknown; decompress?: unknown };
  const sides = { compress: mode(compress), decompress: mode(decompress) };
  if (sides.compress === null) return invalid("perMessageDeflate.compress", DEFLATE_VALUES);
  if (sides.decompress === null) return invalid("perMessageDeflate.decompress", DEFLATE_VALUES);
  const config = { compress: sides.compress, decompress: sides.decompress };
  return { kind: "ok", config: config.compress === "off" && config.decompress === "off" ? null : config };
}

function invalid(name: string, expected: string): DeflateOption {
  return { kind: "invalid", message: `${name} must be ${expected}` };
}

function mode(value: unknown): DeflateMode | null {
  if (value === undefined || value === false || value === "disable") return "off";
  if (value === true || value === "shared") return "shared";
  if (value === "dedicated" || (typeof value === "string" && SIZES.has(value))) return "dedicated";
  return null;
}
