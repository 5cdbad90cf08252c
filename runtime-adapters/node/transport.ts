import * as net from "node:net";
import type { Socket, ListenResult, Transport } from "../../src/ports.ts";

/** node:net sockets as the core's Socket. */
function wrap(socket: net.Socket): Socket {
  socket.setNoDelay(true);
  // Errors (ECONNRESET, EPIPE) are followed by 'close'; that is where the core learns of them.
  socket.on("error", () => {});
  return {
    remoteAddress: socket.remoteAddress ?? "",
    remotePort: socket.remotePort ?? 0,
    onData: (fn) => void socket.on("data", fn),
    onEnd: (fn) => void socket.once("end", fn),
    onClose: (fn) => void socket.once("close", fn),
    onDrain: (fn) => void socket.on("drain", fn),
    write: (chunk, onFlushed) => !socket.destroyed && socket.write(chunk, onFlushed),
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    // allowHalfOpen keeps reading after the peer half-closes; once our side is flushed, close it
    // fully, or a peer that never closes would hold the descriptor (and a connection slot).
    end: () => void socket.end(() => socket.destroy()),
    destroy: () => void socket.destroy(),
  };
}

export const nodeTransport: Transport = {
  listen: (options, onConnection) =>
    new Promise<ListenResult>((resolve) => {
      const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => onConnection(wrap(socket)));
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
          },
        });
      });
    }),
};
