import { type HttpResponse, type HttpVersion, serializeHead, utf8 } from "./response.ts";

/** Serialized response heads, reused across requests. */
export interface CachedHead {
  readonly date: string;
  readonly version: HttpVersion;
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
  version: HttpVersion,
  keepAlive: boolean,
  common: string,
): Uint8Array {
  if (response.once === true) return utf8(serializeHead(response, date, version, keepAlive, common));
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
