import type { RequestHead } from "../http/parser/request-head.ts";
import type { ConnectionError, ErrorCodeName } from "./error.ts";
import type { ReceiveWindow } from "./flow-window.ts";
import type { HpackDecoder } from "./hpack/decoder.ts";
import type { Http2Options } from "./limits.ts";
import type { RateBucket } from "./rate-bucket.ts";
import type { SendScheduler } from "./send-scheduler.ts";
import type { Http2Events } from "./session-link.ts";
import type { ServerStream } from "./stream.ts";
import type { StreamTable } from "./stream-table.ts";

/**
 * What the frame handlers (stream-frames.ts, header-frames.ts) see of the session: its parts,
 * and the few steps that change a stream's life. Each step that can fail the connection returns
 * the ConnectionError (null: go on), which the session then sends as GOAWAY.
 */
export interface SessionCore {
  readonly options: Http2Options;
  readonly events: Http2Events;
  readonly table: StreamTable;
  readonly out: SendScheduler;
  readonly decoder: HpackDecoder;
  /** The connection's receive window (§6.9). */
  readonly receiveWindow: ReceiveWindow;
  /** RST_STREAM frames from the peer and our stream errors, as a token bucket (CVE-2023-44487, CVE-2025-8671). */
  readonly resets: RateBucket;
  /** No GOAWAY either way and input not ended: new streams are taken (§6.8: else ignored). */
  readonly accepting: boolean;
  /** The peer's SETTINGS_INITIAL_WINDOW_SIZE in force: a new stream's send window (§6.9.2). */
  readonly peerInitialWindow: number;
  /** Counts one more new stream in this read: false past maxNewStreamsPerRead. */
  countNewStream(): boolean;
  /** A stream in the table from its request head; a body unless END_STREAM came with the HEADERS. */
  openStream(id: number, head: RequestHead, endStream: boolean): ServerStream;
  /** Hands the stream's request to a handler, now or once a slot frees; ENHANCE_YOUR_CALM past the queue's bound. */
  dispatch(stream: ServerStream): ConnectionError | null;
  /**
   * §5.4.2: RST_STREAM with the code, the stream abandoned (if in the table) and noted reset. A
   * peer-caused one spends a reset token: ENHANCE_YOUR_CALM once none is left.
   */
  resetStream(id: number, code: ErrorCodeName, reason: string, peerCaused?: boolean): ConnectionError | null;
  /** The peer reset the stream (RST_STREAM): abandoned, closed. */
  peerReset(stream: ServerStream): void;
  /** The peer sent END_STREAM on the stream: its state moves, closed once both sides are done. */
  remoteEnded(stream: ServerStream): void;
  /** n flow-controlled bytes done with: credit back on the stream (when given) and the connection. */
  credit(stream: ServerStream | null, n: number): void;
}
