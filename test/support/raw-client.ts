import * as net from "node:net";
import * as tls from "node:tls";

export interface RawResult {
  /** Everything the server sent. */
  readonly data: Buffer;
  /** The server closed the connection (or reset it) before the wait ended. */
  readonly closed: boolean;
}

export interface RawOptions {
  /** Give up waiting after this long (the connection is then destroyed). */
  readonly timeoutMs?: number;
  /** Stop as soon as this says the data is complete. */
  readonly until?: (data: Buffer) => boolean;
  /** Send the request in pieces of this many bytes, one write each, with a pause between. */
  readonly pieceSize?: number;
  /** The pause between pieces (2 ms unless told). */
  readonly pieceDelayMs?: number;
  /** Connect from this local address (127.0.0.2 and up are the loopback too, on Linux). */
  readonly localAddress?: string;
  /** Half-close after writing (the way `nc -N` does). */
  readonly endAfterWrite?: boolean;
}

/** How the raw client reaches the server: undefined for plain TCP (the default). */
let tlsClient: { readonly ca: string } | undefined;

/**
 * Makes every later rawExchange in this module instance speak TLS (node:tls, trusting only `ca`,
 * SNI and the name checked "localhost"), or plain TCP again with undefined. Only the TLS suite
 * (test/e2e/tls-suite.ts) calls it: vitest isolates modules per test file (its default
 * `isolate: true`, which vitest.config.ts keeps), so the plain files never see it set.
 */
export function useTls(options: { readonly ca: string } | undefined): void {
  tlsClient = options;
}

/**
 * Sends raw bytes on a fresh TCP connection (or TLS, after useTls) and collects the reply. URL clients normalise
 * paths ("..", "%2e"), so every malformed or traversal request in the tests goes through here.
 * The reply is read with ./http-response-parser.ts (hasResponses as `until`, then parseResponses).
 */
export function rawExchange(port: number, request: string | Uint8Array, options: RawOptions = {}): Promise<RawResult> {
  const bytes = typeof request === "string" ? Buffer.from(request, "latin1") : Buffer.from(request);
  return new Promise((resolve, reject) => {
    const secure = tlsClient;
    const socket = secure === undefined
      ? net.connect({ host: "127.0.0.1", port, localAddress: options.localAddress })
      : tls.connect({
        socket: net.connect({ host: "127.0.0.1", port, localAddress: options.localAddress }),
        ca: secure.ca,
        servername: "localhost",
        ALPNProtocols: ["http/1.1"],
      });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 5000);
    let secured = false;
    socket.on("error", (error) => {
      // A failed TLS handshake (a certificate not trusted, say) is the test's fault, not the server closing.
      if (secure !== undefined && !secured && !settled) {
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`TLS handshake with 127.0.0.1:${port} failed: ${error.message}`));
        return;
      }
      finish(true);
    });
    socket.on("close", () => finish(true));
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      if (options.until?.(Buffer.concat(chunks))) finish(false);
    });
    // Over TLS the request goes out once the handshake is done (and the certificate checked).
    socket.on(secure === undefined ? "connect" : "secureConnect", async () => {
      secured = true;
      const size = options.pieceSize ?? bytes.length;
      for (let i = 0; i < bytes.length; i += size) {
        if (settled) return;
        socket.write(bytes.subarray(i, i + size));
        if (size < bytes.length) await new Promise((r) => setTimeout(r, options.pieceDelayMs ?? 2));
      }
      if (options.endAfterWrite) socket.end();
    });
  });
}
