import * as tls from "node:tls";
import type { Socket } from "../../src/ports/socket.ts";
import { type Prepared, tlsReload } from "../../src/ports/tls-reload.ts";
import type { ListenOptions, ListenResult, TlsCredentials, TlsListen } from "../../src/ports/transport.ts";
import { nodeSocket } from "../shared-node/node-socket.ts";
import { alpnProtocols, secureOptions } from "../shared-node/tls-options.ts";
import { connDuplex } from "./conn-duplex.ts";
import { listenTcp } from "./tcp-listener.ts";
import { checkPair } from "./tls-credentials.ts";

/**
 * HTTPS on Deno: accepted as plain TCP (Deno.listen), the handshake run by Deno's node:tls over
 * the connection (tls.TLSSocket on a Duplex), with our own deadline. Not Deno.listenTls: Deno 2.9
 * runs each of its handshakes in a task that owns the socket until the peer sends or leaves, so
 * closing the TlsConn (before or during a read) never closes a silent client's socket (measured:
 * 20 silent clients closed after 0.5 s kept 20 descriptors until they left; at a 1,200-descriptor
 * limit 1,300 of them stopped the server). Not tls.createServer either: Deno's node:net listener
 * stops accepting for good after one failed accept (too many open files), where this accept loop
 * waits and goes on. Closing a TcpConn frees its socket at once, so the handshake timeout,
 * eviction and the 503 turn-away all free the descriptor; and the certificate is ours to swap,
 * so SIGHUP reloads work without --unstable-net.
 */
export function denoTlsListen(
  options: ListenOptions,
  credentials: TlsListen,
  onConnection: (socket: Socket) => void,
): Promise<ListenResult> {
  const first = secureContext(credentials);
  if (first.kind === "failed") return Promise.resolve({ kind: "failed", code: "TLS", message: first.message });
  // The certificate is a secure context of ours: a reload makes a new one for new handshakes.
  const reload = tlsReload(first.value, secureContext);
  const result = listenTcp(
    options,
    (conn) => handshake(conn, reload.current(), credentials, onConnection),
  );
  if (result.kind === "failed") return Promise.resolve(result);
  return Promise.resolve({ kind: "listening", listener: { ...result.listener, setTls: reload.setTls } });
}

/** TLS 1.2 and 1.3 with these credentials, once they are known to fit (checkPair). */
function secureContext(credentials: TlsCredentials): Prepared<tls.SecureContext> {
  const pair = checkPair(credentials);
  if (pair.kind === "failed") return pair;
  try {
    return { kind: "ready", value: tls.createSecureContext(secureOptions(credentials)) };
  } catch (error) {
    return { kind: "failed", message: (error as Error).message };
  }
}

/**
 * The server side of one handshake; the core gets the connection once it is done ('secure').
 * Failed or not done by the deadline: closed, and the core never hears of it.
 */
function handshake(
  conn: Deno.TcpConn,
  context: tls.SecureContext,
  { handshakeTimeoutMs: timeoutMs, http2 }: TlsListen,
  onConnection: (socket: Socket) => void,
): void {
  conn.setNoDelay(true);
  const peer = { address: conn.remoteAddr.hostname, port: conn.remoteAddr.port };
  const stream = connDuplex(conn);
  const duplex = stream.duplex;
  // ALPN http/1.1, and h2 first with HTTP/2 on (RFC 7301).
  const secure = new tls.TLSSocket(duplex, {
    isServer: true,
    secureContext: context,
    ALPNProtocols: alpnProtocols(http2),
  });
  const timer = setTimeout(() => secure.destroy(), timeoutMs);
  const fail = (): void => void secure.destroy();
  secure.on("error", fail);
  secure.once("close", () => {
    clearTimeout(timer);
    duplex.destroy();
  });
  secure.once("secure", () => {
    clearTimeout(timer);
    secure.off("error", fail); // nodeSocket listens for errors from now on
    const socket = nodeSocket(secure, peer);
    // Input backpressure must reach the conn's reads (connDuplex).
    onConnection({
      ...socket,
      pause: () => {
        socket.pause();
        stream.pause();
      },
      resume: () => {
        stream.resume();
        socket.resume();
      },
    });
  });
}
