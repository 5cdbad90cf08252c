import { type HttpResponse, serializeHead, utf8 } from "./response.ts";

/** Serialized response heads, reused across requests, and the framing bytes of chunked bodies. */
export interface CachedHead {
  readonly date: string;
  readonly version: "1.0" | "1.1";
  readonly keepAlive: boolean;
  readonly common: string;
  readonly bytes: Uint8Array;
  /** Head and body together, for small bodies. */
  whole?: Uint8Array;
}

/** Serialized heads of reused responses (cached files, /time within a millisecond, error pages). */
export const heads = new WeakMap<HttpResponse, CachedHead>();

/** The head's bytes, reused while the response object, the Date second and the framing match. */
export function headFor(
  response: HttpResponse,
  date: string,
  version: "1.0" | "1.1",
  keepAlive: boolean,
  common: string,
): Uint8Array {
  const cached = heads.get(response);
  if (
    cached !== undefined && cached.date === date && cached.version === version && cached.keepAlive === keepAlive &&
    cached.common === common
  ) {
    return cached.bytes;
  }
  const bytes = utf8(serializeHead(response, date, version, keepAlive, common));
  heads.set(response, { date, version, keepAlive, common, bytes });
  return bytes;
}

export const LAST_CHUNK = utf8("0\r\n\r\n");

/** What comes before a chunk's data: its size in hex, CRLF (RFC 9112 §7.1). */
export function chunkSizeLine(size: number): Uint8Array {
  return utf8(`${size.toString(16)}\r\n`);
}

/** What ends a chunk's data (RFC 9112 §7.1). */
export const CHUNK_END = utf8("\r\n");

/** One chunk: size in hex, CRLF, the data, CRLF (RFC 9112 §7.1). */
export function chunk(bytes: Uint8Array): Uint8Array {
  const size = utf8(`${bytes.length.toString(16)}\r\n`);
  const out = new Uint8Array(size.length + bytes.length + 2);
  out.set(size);
  out.set(bytes, size.length);
  out[out.length - 2] = 0x0d;
  out[out.length - 1] = 0x0a;
  return out;
}
