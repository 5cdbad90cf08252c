import { type HttpError, httpError } from "../http/http-error.ts";
import type { BodyRead, RequestBody } from "../http/request-body.ts";

/** What a request body gives back to flow control as it goes (RFC 9113 §6.9). */
export interface BodyCredit {
  /** n bytes the app read: credit back on the stream and the connection. */
  read(n: number): void;
  /** n bytes thrown away (the app cancelled, or the body is over its limit): credit back on the connection only. */
  discarded(n: number): void;
}

const END: BodyRead = { kind: "end" };

/**
 * A request's DATA on its way to the app (RFC 9113 §8.1): pieces the peer sent wait here until
 * read, bounded by the stream's receive window (which the peer must respect), and each read gives
 * its bytes back to flow control, so an app that reads slowly holds the peer back and nothing
 * piles up. content-length is checked against the DATA (§8.1.1); past maxBytes the read fails
 * with 413 and what comes is discarded.
 */
export class ReceivedBody implements RequestBody {
  private readonly pieces: Uint8Array[] = [];
  private received = 0;
  private state: "open" | "ended" | "failed" | "cancelled" = "open";
  private failure: HttpError | null = null;
  private waiting: { resolve: (read: BodyRead) => void; into: Uint8Array | undefined } | null = null;

  constructor(
    readonly length: number | null,
    private readonly maxBytes: number,
    private readonly credit: BodyCredit,
  ) {
    if (length !== null && length > maxBytes) this.tooLarge();
  }

  read(into?: Uint8Array): Promise<BodyRead> {
    if (this.waiting !== null) return Promise.reject(new TypeError("one body read at a time"));
    const now = this.take(into);
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve) => (this.waiting = { resolve, into }));
  }

  cancel(): void {
    if (this.state !== "open" && this.state !== "ended") return;
    this.state = "cancelled";
    this.dropPieces();
  }

  /**
   * A DATA frame's content (a view, copied if kept). Null, or why the request is malformed:
   * more than its content-length (§8.1.1).
   */
  receive(data: Uint8Array): string | null {
    this.received += data.length;
    if (this.length !== null && this.received > this.length) {
      return `DATA past the content-length of ${this.length}`;
    }
    if (this.state !== "open") {
      this.credit.discarded(data.length);
      return null;
    }
    if (this.received > this.maxBytes) {
      this.credit.discarded(data.length);
      this.tooLarge();
      return null;
    }
    if (data.length > 0) this.pieces.push(data.slice());
    this.answer();
    return null;
  }

  /** END_STREAM: null, or why the request is malformed: fewer bytes than its content-length (§8.1.1). */
  end(): string | null {
    if (this.length !== null && this.received !== this.length) {
      return `END_STREAM after ${this.received} bytes of a content-length of ${this.length}`;
    }
    if (this.state === "open") this.state = "ended";
    this.answer();
    return null;
  }

  /** The stream is gone (reset either way, the connection closed): reads fail, nobody is left to answer. */
  gone(): void {
    if (this.state === "open" || (this.state === "ended" && this.pieces.length > 0)) this.fail(null);
  }

  /** §8.1.1 mismatches, a limit: the read fails (null: the stream was reset, nobody to tell). */
  private fail(error: HttpError | null): void {
    this.state = "failed";
    this.failure = error;
    this.dropPieces();
    this.answer();
  }

  private tooLarge(): void {
    this.fail(httpError("BODY_TOO_LARGE", `request body over ${this.maxBytes} bytes`));
  }

  /** Queued bytes thrown away, credited back to the connection. */
  private dropPieces(): void {
    let bytes = 0;
    for (const piece of this.pieces) bytes += piece.length;
    this.pieces.length = 0;
    if (bytes > 0) this.credit.discarded(bytes);
  }

  /** The waiting read, answered if it can be. */
  private answer(): void {
    const waiting = this.waiting;
    if (waiting === null) return;
    const read = this.take(waiting.into);
    if (read === null) return;
    this.waiting = null;
    waiting.resolve(read);
  }

  /** The next read's answer, or null to wait for DATA. */
  private take(into?: Uint8Array): BodyRead | null {
    const piece = this.pieces[0];
    if (piece !== undefined && this.state !== "failed" && this.state !== "cancelled") return this.hand(piece, into);
    if (this.state === "ended") return END;
    if (this.state === "failed") return { kind: "failed", error: this.failure };
    if (this.state === "cancelled") return END;
    return null;
  }

  /** The first piece, or as much of it as `into` holds (the rest stays first). */
  private hand(piece: Uint8Array, into?: Uint8Array): BodyRead {
    const n = into === undefined ? piece.length : Math.min(into.length, piece.length);
    if (n === piece.length) this.pieces.shift();
    else this.pieces[0] = piece.subarray(n);
    this.credit.read(n);
    if (into === undefined) return { kind: "data", bytes: piece };
    into.set(piece.subarray(0, n));
    return { kind: "data", bytes: into.subarray(0, n) };
  }
}
