/**
 * A session on a fake link, piped to the test client: pump() carries bytes both ways until
 * neither side has more (the client's answers, such as SETTINGS ACK, go back in the same pump).
 */
import { errorResponse } from "../../../src/http/error-page.ts";
import type { HandlerPool } from "../../../src/http2/handler-pool.ts";
import { type Http2Options, http2Options } from "../../../src/http2/limits.ts";
import { type Http2Events, type Http2Link, Http2Session, type Http2Stream } from "../../../src/http2/session.ts";
import { CLIENT_PREFACE } from "../../../src/http2/preface.ts";
import { FakeClock } from "../../support/fake-ports.ts";
import { type ClientOptions, H2TestClient } from "../../support/h2-test-client.ts";

/** A link whose socket takes highWaterMark bytes before write() says false; the client reads them at pump(). */
export class FakeH2Link implements Http2Link {
  /** Written and not yet read by the client. */
  private readonly unread: Uint8Array[] = [];
  private readonly flushCallbacks: Array<() => void> = [];
  /** Bytes held by the "socket" (written, not yet read by the client). */
  queued = 0;
  written = 0;
  /** write() calls so far. */
  writes = 0;
  ended = false;
  destroyed = false;
  /** Writes after end(): a bug (none should come). */
  writesAfterEnd = 0;

  constructor(public highWaterMark = 1 << 30) {}

  write(bytes: Uint8Array, onFlushed?: () => void): boolean {
    if (this.ended) this.writesAfterEnd++;
    this.writes++;
    this.unread.push(bytes.slice());
    this.queued += bytes.length;
    this.written += bytes.length;
    if (onFlushed !== undefined) this.flushCallbacks.push(onFlushed);
    return this.queued <= this.highWaterMark;
  }

  pause(): void {}
  resume(): void {}

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** What the client has not read yet, handed over; whether the socket was over its mark. */
  take(): { bytes: Uint8Array[]; wasFull: boolean } {
    const wasFull = this.queued > this.highWaterMark;
    const bytes = this.unread.splice(0);
    this.queued = 0;
    for (const fn of this.flushCallbacks.splice(0)) fn();
    return { bytes, wasFull };
  }
}

export interface Harness {
  readonly session: Http2Session;
  readonly client: H2TestClient;
  readonly link: FakeH2Link;
  readonly clock: FakeClock;
  readonly requests: Http2Stream[];
  readonly refusals: Array<[Http2Stream, number]>;
  readonly logs: string[];
  readonly options: Http2Options;
  closed: boolean;
  /** Whether the client reads what the server writes (false: a peer that never reads). */
  reading: boolean;
  /** Carries bytes both ways until quiet. */
  pump(): void;
  /** Lets promises (file reads, pulled bodies, body reads) run, pumping between them. */
  settle(rounds?: number): Promise<void>;
  /** The bytes the client wrote and the session has not read yet (held while `reading` tests want them apart). */
  connect(settings?: Parameters<H2TestClient["preface"]>[0]): void;
}

export interface HarnessOptions {
  readonly options?: Partial<Http2Options>;
  readonly client?: ClientOptions;
  readonly highWaterMark?: number;
  /** Runs for each request (after it is recorded); default: nothing (the test answers). */
  readonly app?: (stream: Http2Stream) => void;
  /** Refusals answered with the error page at once (default true). */
  readonly answerRefusals?: boolean;
  /** The handler slots shared with other sessions (default: unbounded). */
  readonly pool?: HandlerPool;
  /** How the client's bytes are cut into the session's feed() calls (default: one call per pump). */
  readonly split?: (bytes: Uint8Array) => Uint8Array[];
}

export function harness(setup: HarnessOptions = {}): Harness {
  const clock = new FakeClock(1_000_000);
  const link = new FakeH2Link(setup.highWaterMark);
  const requests: Http2Stream[] = [];
  const refusals: Array<[Http2Stream, number]> = [];
  const logs: string[] = [];
  const outbox: Uint8Array[] = [];
  const options = http2Options(setup.options);
  const h = {} as Harness & { closed: boolean; reading: boolean };
  const events: Http2Events = {
    request: (stream) => {
      requests.push(stream);
      setup.app?.(stream);
    },
    refused: (stream, status) => {
      refusals.push([stream, status]);
      if (setup.answerRefusals !== false) stream.respond(errorResponse(status), [["date", "x"]], false);
    },
    log: (message) => logs.push(message),
    closed: () => (h.closed = true),
  };
  const session = new Http2Session(link, options, events, clock, setup.pool);
  const client = new H2TestClient((bytes) => outbox.push(bytes.slice()), setup.client);
  let started = false;

  const deliverToSession = (): boolean => {
    if (outbox.length === 0) return false;
    let bytes = concat(outbox.splice(0));
    if (!started) {
      started = true;
      if (!startsWithPreface(bytes)) throw new Error("the client did not start with the preface");
      bytes = bytes.subarray(CLIENT_PREFACE.length);
      session.start(new Uint8Array(0));
    }
    // Each piece its own copy, overwritten after the call: the session may keep no view of it.
    for (const piece of setup.split?.(bytes) ?? [bytes]) {
      const copy = piece.slice();
      session.feed(copy);
      copy.fill(0xee);
    }
    return true;
  };

  const deliverToClient = (): boolean => {
    if (!h.reading) return false;
    const { bytes, wasFull } = link.take();
    for (const piece of bytes) client.receive(piece);
    if (wasFull) session.drained();
    return bytes.length > 0;
  };

  Object.assign(h, {
    session,
    client,
    link,
    clock,
    requests,
    refusals,
    logs,
    options,
    closed: false,
    reading: true,
    pump() {
      for (let i = 0; i < 10_000; i++) {
        const moved = deliverToSession() || deliverToClient();
        if (!moved) return;
      }
      throw new Error("pump did not settle");
    },
    async settle(rounds = 20) {
      for (let i = 0; i < rounds; i++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        h.pump();
      }
    },
    connect(settings = []) {
      client.preface(settings);
      h.pump();
    },
  });
  return h;
}

function startsWithPreface(bytes: Uint8Array): boolean {
  if (bytes.length < CLIENT_PREFACE.length) return false;
  return CLIENT_PREFACE.every((b, i) => bytes[i] === b);
}

export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** A response with a body in memory. */
export function okText(text: string, headers: Array<[string, string]> = []) {
  return {
    status: 200,
    headers: [["Content-Type", "text/plain"], ...headers] as Array<[string, string]>,
    body: new TextEncoder().encode(text),
  };
}

/** Byte equality without expect's element-by-element diffing (slow on large arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
