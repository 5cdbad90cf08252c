import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";
import type { BodySource } from "./body-source.ts";
import { ReceiveWindow } from "./flow-window.ts";
import type { FieldToEncode } from "./hpack/encoder.ts";
import type { ReceivedBody } from "./received-body.ts";
import type { Http2Stream } from "./session-link.ts";
import type { StreamState } from "./stream-state.ts";

/** Where a stream's respond() goes. */
export interface StreamHost {
  respond(
    stream: ServerStream,
    response: HttpResponse,
    common: ReadonlyArray<readonly [string, string]>,
    isHead: boolean,
  ): void;
}

/** Where the handler of a stream's request stands: never run (refused), waiting for a slot, running, done. */
export type HandlerState = "none" | "queued" | "running" | "settled";

/**
 * One stream of the session (RFC 9113 §5): its state, its windows both ways, the request's body,
 * and its response on the way out (the fields until HEADERS is written, then the body's source).
 */
export class ServerStream implements Http2Stream {
  state: StreamState;
  /** What we may still send on the stream (§6.9): the peer's initial window, moved by WINDOW_UPDATE and SETTINGS. */
  sendWindow: number;
  readonly receiveWindow: ReceiveWindow;
  handler: HandlerState = "none";
  /**
   * The slot its handler runs in until it answers or the stream goes: its connection's own, or
   * one of the server's pool (handler-pool.ts); null before and after.
   */
  slot: "own" | "pooled" | null = null;
  /** respond() was called. */
  responded = false;
  /** The response's fields, until its HEADERS is written. */
  headers: FieldToEncode[] | null = null;
  /** The response's body, while it is sent; null when HEADERS ends the stream. */
  source: BodySource | null = null;
  /** Pending; complete (END_STREAM went out); or abandoned (reset either way, the connection gone). */
  outcome: "pending" | "complete" | "abandoned" = "pending";
  /** Since when the stream has had bytes to send and no window (the zero-window limit), or null. */
  stalledSince: number | null = null;
  private goneCallbacks: Array<() => void> = [];
  /** DATA payload bytes sent on the stream. */
  bodyBytesSent = 0;
  private doneCallback: ((complete: boolean, bodyBytes: number) => void) | null = null;

  constructor(
    readonly id: number,
    readonly head: RequestHead,
    readonly body: ReceivedBody | null,
    state: StreamState,
    /** The send window to start with (the peer's initial size) and the receive window's size (ours). */
    windows: { readonly send: number; readonly receive: number },
    private readonly host: StreamHost,
  ) {
    this.state = state;
    this.sendWindow = windows.send;
    this.receiveWindow = new ReceiveWindow(windows.receive);
  }

  respond(response: HttpResponse, common: ReadonlyArray<readonly [string, string]>, isHead: boolean): void {
    this.host.respond(this, response, common, isHead);
  }

  onGone(fn: () => void): void {
    if (this.outcome === "abandoned") fn();
    else if (this.outcome === "pending") this.goneCallbacks.push(fn);
  }

  onDone(fn: (complete: boolean, bodyBytes: number) => void): void {
    if (this.outcome === "pending") this.doneCallback = fn;
    else fn(this.outcome === "complete", this.bodyBytesSent);
  }

  private done(): void {
    const fn = this.doneCallback;
    this.doneCallback = null;
    fn?.(this.outcome === "complete", this.bodyBytesSent);
  }

  /** Nothing more goes out on the stream. */
  get finished(): boolean {
    return this.outcome !== "pending";
  }

  /** END_STREAM went out: the response is complete, onGone will never fire. */
  completed(): void {
    this.outcome = "complete";
    this.source = null;
    this.goneCallbacks = [];
    this.done();
  }

  /**
   * The stream is over before its response went out whole (reset either way, the connection
   * gone): the body's reads fail, the source stops, onGone callbacks run once.
   */
  abandon(): void {
    this.state = "closed";
    this.body?.gone();
    if (this.outcome !== "pending") return;
    this.outcome = "abandoned";
    this.source?.cancel();
    this.source = null;
    this.headers = null;
    const callbacks = this.goneCallbacks;
    this.goneCallbacks = [];
    for (const fn of callbacks) fn();
    this.done();
  }
}
