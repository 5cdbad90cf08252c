import type { PullBody, PullRead, StreamBody } from "../http/response.ts";
import type { BodySource, SourceHooks } from "./body-source.ts";

/**
 * A body pulled from its producer one piece at a time (a fetch app's ReadableStream): the next
 * read() only once the piece before went out whole, so a peer that does not open its windows
 * pauses the producer. With a length, the producer must give exactly that many bytes; more or
 * fewer, or a failure, and the stream is reset (the peer sees a truncated message, never a
 * complete wrong one: the HTTP/2 form of HTTP/1.1's closed connection).
 */
export class PullSource implements BodySource {
  private piece: Uint8Array | null = null;
  private sent = 0;
  private state: "reading" | "ready" | "done" | "cancelled" = "reading";
  /** END_STREAM goes with an empty DATA frame once read() says "end". */
  readonly last = false;

  constructor(private readonly body: PullBody, private readonly hooks: SourceHooks) {
    void this.read();
  }

  peek(): Uint8Array | "end" | null {
    if (this.piece !== null) return this.piece;
    return this.state === "done" ? "end" : null;
  }

  consume(n: number): void {
    const rest = this.piece!.subarray(n);
    this.piece = rest.length > 0 ? rest : null;
    if (this.piece === null) void this.read();
  }

  finish(): void {}

  cancel(): void {
    if (this.state === "done" || this.state === "cancelled") return;
    this.state = "cancelled";
    this.piece = null;
    this.body.cancel();
  }

  private async read(): Promise<void> {
    this.state = "reading";
    let read: PullRead;
    try {
      read = await this.body.read();
    } catch (error) {
      read = { kind: "failed", error };
    }
    if (this.cancelled()) return;
    this.take(read);
  }

  /** Cancelled meanwhile (a method, so the check after an await is not narrowed away). */
  private cancelled(): boolean {
    return this.state === "cancelled";
  }

  /** One read's outcome: a piece (empty ones skipped), the end, or why the body breaks. */
  private take(read: PullRead): void {
    if (read.kind === "failed") return this.failed(`the response body failed: ${describe(read.error)}`);
    const length = this.body.length;
    if (read.kind === "end") {
      if (length !== null && this.sent !== length) {
        return this.failed(`the response body ended at ${this.sent} bytes of its ${length}`);
      }
      this.state = "done";
      return this.hooks.wake();
    }
    if (read.bytes.length === 0) return void this.read();
    this.sent += read.bytes.length;
    if (length !== null && this.sent > length) {
      this.body.cancel();
      return this.failed(`the response body is longer than its length ${length}`);
    }
    this.state = "ready";
    this.piece = read.bytes;
    this.hooks.wake();
  }

  private failed(reason: string): void {
    this.state = "cancelled";
    this.piece = null;
    this.hooks.fail(reason);
  }
}

/**
 * A body of unknown length produced over time (server-sent events): pieces queue on the stream
 * up to maxQueue bytes, and past that are dropped (write() says false, as HTTP/1.1's sink does
 * for a client that does not keep up). finish() (the server shuts down) ends it after what it
 * queued, as HTTP/1.1 sends the last chunk.
 */
export class StreamSource implements BodySource {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private state: "running" | "ended" | "cancelled" = "running";
  private stop: () => void = () => {};
  readonly last = false;

  constructor(body: StreamBody, private readonly maxQueue: number, private readonly hooks: SourceHooks) {
    const stop = body.start({ write: (bytes) => this.write(bytes), end: () => this.end() });
    if (this.state === "running") this.stop = stop;
    else stop();
  }

  peek(): Uint8Array | "end" | null {
    const first = this.queue[0];
    if (first !== undefined) return first;
    return this.state === "ended" ? "end" : null;
  }

  consume(n: number): void {
    const first = this.queue[0]!;
    this.queued -= n;
    if (n < first.length) this.queue[0] = first.subarray(n);
    else this.queue.shift();
  }

  finish(): void {
    this.end();
  }

  cancel(): void {
    if (this.state === "cancelled") return;
    const running = this.state === "running";
    this.state = "cancelled";
    this.queue.length = 0;
    this.queued = 0;
    if (running) this.stop();
  }

  private write(bytes: Uint8Array): boolean {
    if (this.state !== "running" || this.queued + bytes.length > this.maxQueue) return false;
    if (bytes.length === 0) return true;
    this.queue.push(bytes.slice());
    this.queued += bytes.length;
    this.hooks.wake();
    return true;
  }

  private end(): void {
    if (this.state !== "running") return;
    this.state = "ended";
    this.stop();
    this.hooks.wake();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
