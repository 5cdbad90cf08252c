import type { Socket as BunSocket, TCPSocketListener } from "bun";
import type { Socket, ListenResult, Transport } from "../../src/ports.ts";

/** Bytes queued (not yet taken by the kernel) before write() reports backpressure. */
const HIGH_WATER_MARK = 64 * 1024;

/** Per-socket state: the core's callbacks and the bytes Bun's write() did not take yet. */
class BunConnection implements Socket {
  readonly remoteAddress: string;
  dataFn: (chunk: Uint8Array) => void = () => {};
  endFn: () => void = () => {};
  closeFn: () => void = () => {};
  drainFn: () => void = () => {};
  private readonly queue: Uint8Array[] = [];
  /** The onFlushed callback of each queued chunk, index for index. */
  private readonly flushedFns: Array<(() => void) | undefined> = [];
  private queued = 0;
  private ending = false;
  private closed = false;

  constructor(private readonly socket: BunSocket<BunConnection>) {
    this.remoteAddress = socket.remoteAddress;
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
    this.drainFn = fn;
  }

  write(chunk: Uint8Array, onFlushed?: () => void): boolean {
    if (this.closed || this.ending) return false;
    if (this.queue.length === 0) {
      // Bun may take only part of the bytes; keep the rest for the drain handler.
      const n = this.socket.write(chunk);
      if (n < 0) return false;
      if (n === chunk.length) {
        onFlushed?.();
        return true;
      }
      chunk = chunk.subarray(n);
    }
    this.queue.push(chunk);
    this.flushedFns.push(onFlushed);
    this.queued += chunk.length;
    return this.queued < HIGH_WATER_MARK;
  }

  /** Bun's drain handler: the kernel buffer has room again. */
  flush(): void {
    while (this.queue.length > 0) {
      const chunk = this.queue[0]!;
      const n = this.socket.write(chunk);
      if (n < 0) return;
      this.queued -= n;
      if (n < chunk.length) {
        this.queue[0] = chunk.subarray(n);
        return;
      }
      this.queue.shift();
      this.flushedFns.shift()?.();
    }
    if (this.ending) {
      this.socket.end();
      return;
    }
    this.drainFn();
  }

  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
  end(): void {
    this.ending = true;
    if (this.queue.length === 0) this.socket.end();
  }
  destroy(): void {
    this.queue.length = 0;
    this.flushedFns.length = 0;
    this.socket.terminate();
  }

  handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.flushedFns.length = 0;
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
          drain: (socket) => socket.data.flush(),
          end: (socket) => socket.data.endFn(),
          close: (socket) => socket.data.handleClose(),
          error: () => {},
        },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.resolve<ListenResult>({ ok: false, code: errorCode(error), message });
    }
    return Promise.resolve<ListenResult>({
      ok: true,
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
