/** The socket under the raw HTTP/2 client (h2-raw.ts): TCP for h2c, TLS with ALPN h2 (RFC 9113 §3.2, §3.3). */
import * as net from "node:net";
import * as tls from "node:tls";

/** Where a server listens, and how to reach it. */
export interface H2Endpoint {
  readonly host: string;
  readonly port: number;
  /** TLS with ALPN h2; otherwise h2c with prior knowledge. */
  readonly tls: boolean;
  /** The CA to trust (PEM) over TLS; without it the certificate is not checked. */
  readonly ca?: string;
}

/** A connected socket (over TLS, one that agreed on h2), or a rejection after ms. */
export function openSocket(endpoint: H2Endpoint, ms: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection to ${endpoint.host}:${endpoint.port} within ${ms} ms`));
    }, ms);
    const ready = (): void => {
      clearTimeout(timer);
      socket.removeListener("error", failed);
      if (socket instanceof tls.TLSSocket && socket.alpnProtocol !== "h2") {
        socket.destroy();
        reject(new Error(`ALPN chose ${JSON.stringify(socket.alpnProtocol)}, not h2`));
        return;
      }
      resolve(socket);
    };
    const failed = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    const socket: net.Socket = endpoint.tls
      ? tls.connect({
        host: endpoint.host,
        port: endpoint.port,
        servername: "localhost",
        ALPNProtocols: ["h2"],
        ca: endpoint.ca,
        rejectUnauthorized: endpoint.ca !== undefined,
      }, ready)
      : net.connect(endpoint.port, endpoint.host, ready);
    socket.setNoDelay(true);
    socket.once("error", failed);
  });
}
