import type { Client } from "../app.ts";
import { parseProxyHeader, PROXY_HEADER_MAX_BYTES } from "../proxy/proxy-protocol.ts";

/** What the first bytes of a connection were, for a peer that may send a PROXY protocol header. */
export type ProxyHeaderStep =
  | { readonly kind: "more" }
  /** source: the client the proxy named (null: its own connection, LOCAL or UNKNOWN); rest: the HTTP bytes after the header. */
  | { readonly kind: "done"; readonly source: Client | null; readonly rest: Uint8Array }
  | { readonly kind: "failed"; readonly message: string };

/** "PROXY " (v1) and the v2 signature's first bytes: a connection that starts otherwise is plain HTTP. */
const V1 = [0x50, 0x52, 0x4f, 0x58, 0x59, 0x20];
const V2 = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];

/**
 * Reads the HAProxy PROXY protocol header (v1 or v2) a trusted proxy puts before the HTTP bytes
 * (src/proxy/proxy-protocol.ts), bounded by PROXY_HEADER_MAX_BYTES; the connection's header
 * timeout bounds how long it may take. A connection whose first bytes cannot begin a header is
 * plain HTTP (a trusted peer may also connect directly, as a health check does).
 */
export class ProxyHeaderReader {
  private buffered = new Uint8Array(0);

  feed(chunk: Uint8Array): ProxyHeaderStep {
    const bytes = new Uint8Array(this.buffered.length + chunk.length);
    bytes.set(this.buffered);
    bytes.set(chunk, this.buffered.length);
    if (!startsLike(bytes, V1) && !startsLike(bytes, V2)) return { kind: "done", source: null, rest: bytes };
    const result = parseProxyHeader(bytes.subarray(0, PROXY_HEADER_MAX_BYTES));
    if (result.kind === "incomplete") {
      this.buffered = bytes;
      return { kind: "more" };
    }
    if (result.kind === "failed") return result;
    return { kind: "done", source: result.source, rest: bytes.subarray(result.consumed) };
  }
}

/** Whether the bytes so far agree with the start of a signature (as far as both go). */
function startsLike(bytes: Uint8Array, signature: readonly number[]): boolean {
  const n = Math.min(bytes.length, signature.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== signature[i]) return false;
  return true;
}
