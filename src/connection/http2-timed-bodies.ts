import { httpError } from "../http/http-error.ts";
import type { BodyRead, RequestBody } from "../http/request-body.ts";
import type { HttpResponse, PullBody, PullRead } from "../http/response.ts";
import type { StreamDeadline } from "./http2-deadline.ts";

/**
 * A request body whose reads that wait for the client run the client's clock of the stream's
 * deadline instead of the app's (HTTP/1.1's body channel does the same: the client's turn is not
 * the app's); past it (timedOut) the waiting read fails with a 408 and the body is cancelled.
 */
export class TimedRequestBody implements RequestBody {
  readonly length: number | null;
  /** The waiting read's resolver, while the client owes a piece. */
  private waiting: ((read: BodyRead) => void) | null = null;

  constructor(private readonly body: RequestBody, private readonly deadline: StreamDeadline) {
    this.length = body.length;
  }

  read(into?: Uint8Array): Promise<BodyRead> {
    if (this.waiting !== null) return Promise.reject(new TypeError("one body read at a time"));
    const read = this.body.read(into);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.deadline.waitingForClient(true);
      const deliver = (result: BodyRead): void => {
        if (this.waiting !== resolve) return;
        this.waiting = null;
        this.deadline.waitingForClient(false);
        resolve(result);
      };
      read.then(deliver, () => deliver({ kind: "failed", error: null }));
    });
  }

  cancel(): void {
    this.body.cancel();
  }

  /** The client's piece did not come within --body-timeout: the waiting read fails with 408 (RFC 9110 §15.5.9). */
  timedOut(): void {
    const waiting = this.waiting;
    if (waiting === null) return;
    this.waiting = null;
    this.body.cancel();
    waiting({ kind: "failed", error: httpError("TIMEOUT", "body timeout") });
  }
}

/**
 * A pulled response body whose producer owes each piece within the response deadline: past it the
 * read fails (the session resets the stream: RFC 9113 §8.1's truncated message, HTTP/1.1's closed
 * connection) and the producer is cancelled. The deadline runs only while a piece is owed, never
 * while the peer's windows hold the next read back.
 */
export class DeadlinePull implements PullBody {
  readonly kind = "pull";
  readonly length: number | null;
  readonly reusesPieces?: boolean;
  /** The pending read's resolver, while a piece is owed. */
  private owed: ((read: PullRead) => void) | null = null;

  constructor(private readonly body: PullBody, private readonly deadline: StreamDeadline) {
    this.length = body.length;
    this.reusesPieces = body.reusesPieces;
  }

  read(): Promise<PullRead> {
    this.deadline.owe("piece");
    return new Promise((resolve) => {
      this.owed = resolve;
      const deliver = (read: PullRead): void => {
        if (this.owed !== resolve) return;
        this.owed = null;
        this.deadline.paid();
        resolve(read);
      };
      this.body.read().then(deliver, (error: unknown) => deliver({ kind: "failed", error }));
    });
  }

  cancel(): void {
    this.owed = null;
    this.body.cancel();
  }

  /** The deadline passed with a piece owed: the read fails with `reason`, the producer is cancelled. */
  stalled(reason: string): void {
    const owed = this.owed;
    if (owed === null) return;
    this.owed = null;
    this.body.cancel();
    owed({ kind: "failed", error: new Error(reason) });
  }
}

/** The response with its pulled body (if it has one) under the deadline; others as they are. */
export function withDeadline(response: HttpResponse, deadline: StreamDeadline): HttpResponse {
  const body = response.body;
  if (body === null || body instanceof Uint8Array || body.kind !== "pull") return response;
  return { ...response, body: new DeadlinePull(body, deadline) };
}
