import type { HttpError } from "../http/http-error.ts";
import type { StreamResult } from "../http/parser/request-parser.ts";
import type { BodyRead, RequestBody } from "../http/request-body.ts";

/** What the connection lends the body of the request it is answering. */
export interface BodyDeps {
  /** The parser's next result (streamBodies mode): body pieces (at most maxPiece bytes), the body's end, or more to wait for. */
  next(maxPiece?: number): StreamResult;
  /** A read waits for input: resume the socket, with the body deadlines (deadline.ts). */
  waitForInput(): void;
  /** No read waits any more (the app is busy, not the client): the body deadlines stop. */
  stopWaiting(): void;
  /** The client half-closed: no more input will come. */
  inputEnded(): boolean;
  /** Expect: 100-continue (RFC 9110 §10.1.1): the first read sends 100 unless the response has begun. */
  sendContinue(): void;
}

const END: BodyRead = { kind: "end" };
const GONE: BodyRead = { kind: "failed", error: null };

/**
 * A request body on its way from the socket to the app: each read takes the next de-chunked
 * piece from the parser, and waits (socket resumed) only while the app waits for it. A piece the
 * app has not asked for stays in the socket's buffer or the client's, so a slow reader pauses the
 * client (input-flow.ts) and nothing is buffered past the input window.
 */
export class BodyChannel implements RequestBody {
  private state: "open" | "ended" | "failed" = "open";
  /** Why the body failed: the status the client is answered, or null when the client went away. */
  private failure: HttpError | null = null;
  private reader: ((read: BodyRead) => void) | null = null;
  /** The buffer the waiting read copies into, when it gave one. */
  private into: Uint8Array | undefined;
  private reads = 0;
  private cancelled = false;

  constructor(
    readonly length: number | null,
    private readonly host: BodyDeps,
    private readonly expectContinue: boolean,
  ) {}

  /** The body is all here (read by the app, or discarded at the response). */
  get ended(): boolean {
    return this.state === "ended";
  }

  /** A refusal the body ended in (413 past --max-body, 400 bad framing, 408 too slow), else null. */
  get error(): HttpError | null {
    return this.failure;
  }

  /** The body failed because the client went away (or half-closed mid-body): nobody is left to tell. */
  get abandoned(): boolean {
    return this.state === "failed" && this.failure === null;
  }

  /** A read waits for the client (the client's turn, not the app's: see evictionClass). */
  get waiting(): boolean {
    return this.reader !== null;
  }

  read(into?: Uint8Array): Promise<BodyRead> {
    if (this.reader !== null) return Promise.reject(new TypeError("one body read at a time"));
    if (this.reads++ === 0 && this.expectContinue) this.host.sendContinue();
    const now = this.take(into);
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve) => {
      this.reader = resolve;
      this.into = into;
      this.host.waitForInput();
    });
  }

  cancel(): void {
    this.cancelled = true;
  }

  /** Input arrived, or the client half-closed: answer the read that waits, if one does. */
  onInput(): void {
    const resolve = this.reader;
    if (resolve === null) return;
    // take() may fail the body (bad framing, past --max-body), which answers the reader itself.
    const read = this.take(this.into);
    if (read === null) return;
    this.reader = null;
    this.into = undefined;
    this.host.stopWaiting();
    resolve(read);
  }

  /** The body came too slowly (deadline.ts): the read that waits fails with this refusal. */
  timeOut(error: HttpError): void {
    this.fail(error);
  }

  /** The connection is gone: a waiting read fails, and so does every later one. */
  gone(): void {
    if (this.state === "open") this.fail(null);
  }

  /**
   * The response's head is about to be written. A body the app is not reading (never asked, or
   * cancelled) is discarded as far as it is here. True when the body is all here: the connection
   * may then go on with the next request; false, the response closes it (and lingers).
   */
  settle(): boolean {
    if (this.state === "open" && (this.reads === 0 || this.cancelled)) {
      for (let read = this.take(); read !== null && read.kind === "data"; read = this.take());
    }
    return this.state === "ended";
  }

  /** The next read's answer from what the parser holds (copied into `into` when given), or null to wait for input. */
  private take(into?: Uint8Array): BodyRead | null {
    if (this.state === "ended") return END;
    if (this.state === "failed") return { kind: "failed", error: this.failure };
    const result = this.host.next(into?.length);
    switch (result.kind) {
      case "body":
        // The parser's view is valid until its next call: the reader gets its own copy.
        return { kind: "data", bytes: into === undefined ? result.data.slice() : copyInto(into, result.data) };
      case "body-end":
        this.state = "ended";
        return END;
      case "failed":
        this.fail(result.error);
        return { kind: "failed", error: result.error };
      case "incomplete":
        if (!this.host.inputEnded()) return null;
        this.fail(null);
        return GONE;
      case "request":
        // Not before body-end (the parser's contract); treat as a broken body.
        this.fail(null);
        return GONE;
    }
  }

  private fail(error: HttpError | null): void {
    this.state = "failed";
    this.failure = error;
    const resolve = this.reader;
    this.reader = null;
    this.into = undefined;
    if (resolve !== null) {
      this.host.stopWaiting();
      resolve({ kind: "failed", error });
    }
  }
}

function copyInto(into: Uint8Array, data: Uint8Array): Uint8Array {
  into.set(data);
  return into.subarray(0, data.length);
}
