import type { HttpError } from "./http-error.ts";

/** One read of a request body: bytes (the reader's own copy, or a view of the buffer it read into), its end, or why it stopped. */
export type BodyRead =
  | { readonly kind: "data"; readonly bytes: Uint8Array }
  | { readonly kind: "end" }
  /** error: what the client is answered (413 past --max-body, 400 for bad chunk framing, 408 too slow); null: the client went away. */
  | { readonly kind: "failed"; readonly error: HttpError | null };

/**
 * A request body as the connection hands it to a handler: pulled piece by piece, so a handler
 * that reads slowly pauses the socket (nothing is buffered past the parser's input window). The
 * first read of a request that sent `Expect: 100-continue` sends `100 Continue` (RFC 9110 §10.1.1).
 * A body the handler never reads is discarded if it is already here, else the connection closes
 * after the response (lingering).
 */
export interface RequestBody {
  /** The Content-Length, or null for a chunked body. */
  readonly length: number | null;
  /**
   * The next piece. One read at a time. With `into`, the piece is copied into it (at most its
   * length) and `bytes` is a view of it, valid until `into` is used again: a reader that reuses
   * one buffer allocates nothing per piece, however large the body.
   */
  read(into?: Uint8Array): Promise<BodyRead>;
  /** The handler will read no more. */
  cancel(): void;
}
