import * as net from "node:net";
import * as tls from "node:tls";
import type { ListenResult, TlsChange, TlsCredentials, TlsListen, Transport } from "../../src/ports/transport.ts";
import { nodeSocket } from "../shared-node/node-socket.ts";
import { alpnProtocols, secureOptions } from "../shared-node/tls-options.ts";
import { collectReadBuffers } from "./read-garbage.ts";

/** A plain or TLS server; a TLS one hands over a socket only once its handshake is done ('secureConnection'). */
function createServer(
  options: TlsListen | undefined,
  onSocket: (socket: net.Socket) => void,
): net.Server | { error: string } {
  if (options === undefined) return net.createServer({ noDelay: true, allowHalfOpen: true }, onSocket);
  try {
    const server = tls.createServer(
      {
        ...secureOptions(options),
        ALPNProtocols: alpnProtocols(options.http2),
        handshakeTimeout: options.handshakeTimeoutMs,
        allowHalfOpen: true,
        noDelay: true,
      },
      (socket) => {
        refuseRenegotiation(socket);
        onSocket(socket);
      },
    );
    // A failed or timed-out handshake (nothing reaches the core). With a listener here, node
    // leaves the socket open (it destroys it itself only without one): close it, or every
    // failed handshake would keep its descriptor.
    server.on("tlsClientError", (_error, socket) => socket.destroy());
    return server;
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * A client's renegotiation (TLS 1.2 only: TLS 1.3 has none, RFC 8446 §4.1) is refused, as Deno
 * (rustls) and Bun (BoringSSL) refuse it: each one costs the server a full handshake's work for
 * a few bytes from the client, and node:tls would allow 3 in every 10 minutes
 * (tls.CLIENT_RENEG_LIMIT). After disableRenegotiation() node reports the attempt as an error
 * (ERR_TLS_RENEGOTIATION_DISABLED) and leaves the socket open: it is closed here.
 */
function refuseRenegotiation(socket: tls.TLSSocket): void {
  socket.disableRenegotiation();
  socket.once("error", () => socket.destroy());
}

export const nodeTransport: Transport = {
  listen: (options, onConnection) =>
    new Promise<ListenResult>((resolve) => {
      const server = createServer(options.tls, (socket) => {
        onConnection(nodeSocket(socket));
        // After the core's own listener: a 'data' listener starts the flow of data.
        collectReadBuffers(socket);
      });
      if (!(server instanceof net.Server)) return resolve({ kind: "failed", code: "TLS", message: server.error });
      server.once("error", (error: NodeJS.ErrnoException) => {
        resolve({ kind: "failed", code: error.code ?? "UNKNOWN", message: error.message });
      });
      server.listen({ host: options.host, port: options.port, ipv6Only: false }, () => {
        const address = server.address() as net.AddressInfo;
        server.on("error", () => {});
        resolve({
          kind: "listening",
          listener: {
            port: address.port,
            // server.close() stops accepting at once; its callback would wait for every
            // connection to end, which the core arranges itself.
            close: () => {
              server.close();
              return Promise.resolve();
            },
            ...(server instanceof tls.Server
              ? { setTls: (credentials: TlsCredentials) => setSecureContext(server, credentials) }
              : {}),
          },
        });
      });
    }),
};

/**
 * New handshakes use the new credentials; the listener never closes. Checked first, so refused ones leave the old.
 * node:tls changes a listening server's certificate in place, so Node needs no swap (src/ports/tls-reload.ts).
 */
function setSecureContext(server: tls.Server, credentials: TlsCredentials): Promise<TlsChange> {
  try {
    tls.createSecureContext(secureOptions(credentials));
    server.setSecureContext(secureOptions(credentials));
    return Promise.resolve({ kind: "changed" });
  } catch (error) {
    return Promise.resolve({ kind: "failed", message: (error as Error).message });
  }
}
