import type { BodyRead, RequestBody } from "../http/request-body.ts";
import type { HttpResponse, PullBody, PullRead } from "../http/response.ts";
import type { StreamDeadline } from "./http2-deadline.ts";

/**
 * A request body whose reads pause the stream's response deadline while they wait for the client
 * (HTTP/1.1's body channel does the same: the client's turn is not the app's).
 */
export function pausingBody(body: RequestBody, deadline: StreamDeadline): RequestBody {
  return {
    length: body.length,
    read: (into?: Uint8Array): Promise<BodyRead> => {
      const read = body.read(into);
      deadline.waitingForClient(true);
      const back = (): void => deadline.waitingForClient(false);
      read.then(back, back);
      return read;
    },
    cancel: () => body.cancel(),
  };
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
