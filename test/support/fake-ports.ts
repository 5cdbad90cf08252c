/**
 * In-memory fakes of the core's ports (src/ports/), for unit tests of the server and the
 * connection layer: a clock whose time only moves when the test says so, a transport whose
 * connections the test hands in, and a TCP stream the test drives from both ends (the file
 * system and compressor: ./fake-file-system.ts). Nothing here waits on real time or touches
 * the network.
 */
import type { Clock } from "../../src/ports/clock.ts";
import type { Socket } from "../../src/ports/socket.ts";
import type { ListenOptions, ListenResult, Transport } from "../../src/ports/transport.ts";

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** A Clock whose time stands still until advance(). */
export class FakeClock implements Clock {
  private timers: PendingTimer[] = [];
  private seq = 0;

  constructor(public time = 0, public zone = "UTC") {}

  now(): number {
    return this.time;
  }

  timeZone(): string {
    return this.zone;
  }

  after(ms: number, fn: () => void): () => void {
    const timer: PendingTimer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Timers registered and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by ms, firing every timer that falls due on the way, earliest first
   * (ties in registration order), with now() reading each timer's own due time as it fires.
   * Timers registered by a firing timer fire too if they fall due within the window.
   */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.timers) {
        if (t.at <= target && (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq))) {
          next = t;
        }
      }
      if (next === undefined) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.fn();
    }
    this.time = target;
  }
}

/**
 * A Transport whose listeners accept only the sockets the test hands to accept(). Listening
 * always succeeds, on the port asked for (8000 for port 0); the first listener opened is the
 * server's HTTP listener, the one accept() connects to.
 */
export class FakeTransport implements Transport {
  readonly listeners: Array<
    { readonly options: ListenOptions; readonly onConnection: (socket: Socket) => void; closed: boolean }
  > = [];

  listen(options: ListenOptions, onConnection: (socket: Socket) => void): Promise<ListenResult> {
    const entry = { options, onConnection, closed: false };
    this.listeners.push(entry);
    const port = options.port === 0 ? 8000 : options.port;
    return Promise.resolve({ kind: "listening", listener: { port, close: async () => void (entry.closed = true) } });
  }

  /** A peer connects to the HTTP listener. */
  accept(socket: Socket): void {
    const listener = this.listeners[0];
    if (listener === undefined) throw new Error("the server has not listened");
    if (listener.closed) throw new Error("the listener is closed");
    listener.onConnection(socket);
  }
}

const latin1Decoder = new TextDecoder("latin1");

function sameContent(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytes of a latin-1 string (one byte per char code, as HTTP heads are written in tests); a char past U+00FF throws. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new Error(`not latin-1 at ${i}`);
    out[i] = c;
  }
  return out;
}

export function latin1Text(bytes: Uint8Array): string {
  return latin1Decoder.decode(bytes);
}

/**
 * A Socket the test drives: receive()/peerEnd()/peerClose() play the peer; every write is
 * recorded. write() returns false once more than highWaterMark bytes are queued, until drain(),
 * which also runs the onFlushed callbacks of everything written so far.
 */
export class FakeConnection implements Socket {
  /** Every chunk passed to write(), copied, in order (including any written after close). */
  readonly writes: Uint8Array[] = [];
  /** Writes that happened after end(), destroy() or the peer closing: always a core bug. */
  writesAfterClose = 0;
  queued = 0;
  ended = false;
  destroyed = false;
  /** onClose has fired (after end(), destroy() or peerClose()). */
  closed = false;
  paused = false;
  pauseCalls = 0;
  resumeCalls = 0;
  private needDrain = false;
  private peerGone = false;
  private held: Uint8Array[] = [];
  private flushedFns: Array<() => void> = [];
  /** Chunks written with onFlushed, by reference, with the copy taken at write(): the caller must not touch them before the flush. */
  private lent: Array<{ readonly chunk: Uint8Array; readonly copy: Uint8Array }> = [];
  /** Lent chunks whose bytes changed before they were flushed: the caller reused a buffer too early. */
  reusedBeforeFlush = 0;
  private dataFns: Array<(chunk: Uint8Array) => void> = [];
  private endFns: Array<() => void> = [];
  private closeFns: Array<() => void> = [];
  private drainFns: Array<() => void> = [];

  constructor(readonly highWaterMark = 64 * 1024, readonly remoteAddress = "192.0.2.1", readonly remotePort = 40000) {}

  onData(fn: (chunk: Uint8Array) => void): void {
    this.dataFns.push(fn);
  }
  onEnd(fn: () => void): void {
    this.endFns.push(fn);
  }
  onClose(fn: () => void): void {
    this.closeFns.push(fn);
  }
  onDrain(fn: () => void): void {
    this.drainFns.push(fn);
  }

  write(chunk: Uint8Array, onFlushed?: () => void): boolean {
    if (this.ended || this.destroyed || this.peerGone) {
      this.writesAfterClose++;
      this.writes.push(chunk.slice());
      return false;
    }
    const copy = chunk.slice();
    this.writes.push(copy);
    if (onFlushed !== undefined) {
      this.flushedFns.push(onFlushed);
      this.lent.push({ chunk, copy });
    }
    this.queued += chunk.length;
    if (this.queued <= this.highWaterMark) return true;
    this.needDrain = true;
    return false;
  }

  pause(): void {
    this.paused = true;
    this.pauseCalls++;
  }

  /** Delivers data held while paused on a later microtask, as a socket would. */
  resume(): void {
    this.paused = false;
    this.resumeCalls++;
    queueMicrotask(() => {
      while (!this.paused && this.held.length > 0 && !this.gone) this.deliver(this.held.shift()!);
    });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.scheduleClose();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.queued = 0;
    this.scheduleClose();
  }

  // ---- the peer's side ----

  /** The peer sends bytes (a string is taken as latin-1). Held while paused. */
  receive(data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? latin1Bytes(data) : data;
    if (this.gone) return;
    if (this.paused) this.held.push(bytes.slice());
    else this.deliver(bytes);
  }

  /** The peer half-closes (FIN). */
  peerEnd(): void {
    for (const fn of this.endFns) fn();
  }

  /** The peer is gone (RST): onClose fires at once; later writes go nowhere. */
  peerClose(): void {
    this.peerGone = true;
    this.fireClose();
  }

  /** The socket flushed its queue; fires onDrain if a write had returned false. */
  drain(): void {
    this.queued = 0;
    for (const { chunk, copy } of this.lent) if (!sameContent(chunk, copy)) this.reusedBeforeFlush++;
    this.lent = [];
    const flushed = this.flushedFns;
    this.flushedFns = [];
    for (const fn of flushed) fn();
    if (!this.needDrain) return;
    this.needDrain = false;
    for (const fn of this.drainFns) fn();
  }

  /** Bytes held back because the core paused input. */
  get heldBytes(): number {
    return this.held.reduce((n, c) => n + c.length, 0);
  }

  /** Everything written, as one buffer. */
  bytes(): Uint8Array {
    const total = this.writes.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.writes) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** Everything written, as latin-1 text. */
  text(): string {
    return latin1Text(this.bytes());
  }

  private get gone(): boolean {
    return this.ended || this.destroyed || this.peerGone;
  }

  private deliver(bytes: Uint8Array): void {
    // The chunk is only valid during the call (src/ports/socket.ts): hand out a copy and scribble on it after.
    const chunk = bytes.slice();
    for (const fn of this.dataFns) fn(chunk);
    chunk.fill(0x21);
  }

  private scheduleClose(): void {
    setTimeout(() => this.fireClose(), 0);
  }

  private fireClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closeFns) fn();
  }
}
