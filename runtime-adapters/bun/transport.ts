import type { Socket as BunSocket, TCPSocketListener } from "bun";
import type { Socket, ListenResult, Transport } from "../../src/ports.ts";
import { WriteQueue } from "../../src/connection/write-queue.ts";

/** How long a destroyed socket may take to close after its FIN before it is reset. */
const TERMINATE_AFTER_MS = 1000;

/** Per-socket state: the core's callbacks, and the bytes Bun's write() did not take yet. */
class BunConnection implements Socket {
  readonly remoteAddress: string;
  readonly remotePort: number;
  dataFn: (chunk: Uint8Array) => void = () => {};
  endFn: () => void = () => {};
  closeFn: () => void = () => {};
  private closed = false;
  /** Bun may take only part of the bytes; the rest waits for its drain handler (flush). */
  readonly queue: WriteQueue;

  constructor(private readonly socket: BunSocket<BunConnection>) {
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    this.queue = new WriteQueue({ write: (bytes) => socket.write(bytes), end: () => socket.end(), fail: () => socket.terminate() });
  }

  onData(fn: (chunk: Uint8Array) => void): void {
    this.dataFn = fn;
  }
  onEnd(fn: () => void): void {
    this.endFn = fn;
  }
  onClose(fn: () => void): void {
    this.closeFn = fn;
  }
  onDrain(fn: () => void): void {
    this.queue.onDrain(fn);
  }
  write(chunk: Uint8Array, onFlushed?: () => void): boolean {
    return this.queue.write(chunk, onFlushed);
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  end(): void {
    this.queue.end();
  }
  destroy(): void {
    this.queue.close();
    // terminate() resets the connection (SO_LINGER 0), where node's destroy() and deno's close()
    // send a FIN after what the kernel still holds: a download cut short would end differently.
    // So end() here too; terminate() only if the peer has not closed within a second, so that a
    // client that neither reads nor closes does not keep the descriptor.
    this.socket.end();
    setTimeout(() => {
      if (!this.closed) this.socket.terminate();
    }, TERMINATE_AFTER_MS);
  }

  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.close();
    this.closeFn();
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const message = error instanceof Error ? error.message : String(error);
  if (/in use/i.test(message)) return "EADDRINUSE";
  if (/permission|EACCES/i.test(message)) return "EACCES";
  return "UNKNOWN";
}

export const bunTransport: Transport = {
  listen: (options, onConnection) => {
    let listener: TCPSocketListener<BunConnection>;
    try {
      listener = Bun.listen<BunConnection>({
        hostname: options.host,
        port: options.port,
        // Without exclusive, another process could bind the same port and "port in use" would go unnoticed.
        exclusive: true,
        allowHalfOpen: true,
        socket: {
          open(socket) {
            socket.setNoDelay(true);
            socket.data = new BunConnection(socket);
            onConnection(socket.data);
          },
          data: (socket, data) => socket.data.dataFn(data),
          drain: (socket) => socket.data.queue.flush(),
          end: (socket) => socket.data.endFn(),
          close: (socket) => socket.data.handleClose(),
          error: () => {},
        },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.resolve<ListenResult>({ kind: "failed", code: errorCode(error), message });
    }
    return Promise.resolve<ListenResult>({
      kind: "listening",
      listener: {
        port: listener.port,
        close: () => {
          listener.stop(false);
          return Promise.resolve();
        },
      },
    });
  },
};
