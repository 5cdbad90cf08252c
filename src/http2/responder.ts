import type { HttpResponse } from "../http/response.ts";
import type { SourceHooks } from "./body-source.ts";
import { encodeRstStream } from "./frame-writer.ts";
import { sourceFor } from "./response-body.ts";
import { responseFields } from "./response-fields.ts";
import type { SessionCore } from "./session-core.ts";
import type { ServerStream } from "./stream.ts";
import { afterLocalEnd } from "./stream-state.ts";

/** Where the session stands, as far as responses go. */
export type SessionPhase = "running" | "draining" | "closed";

/**
 * Responses on their way out (RFC 9113 §8.3.2): respond() frees the handler's slot and queues the
 * response's HEADERS and body source with the scheduler; the end of the body closes the stream.
 */
export class Responder {
  constructor(
    private readonly core: SessionCore,
    private readonly phase: () => SessionPhase,
    /** Runs a turn of work started outside the session's own (a source waking, failing). */
    private readonly guard: (fn: () => void) => void,
  ) {}

  /** Stream.respond(): the handler's slot freed; the response queued unless the stream is gone (only the first counts). */
  respond(
    stream: ServerStream,
    response: HttpResponse,
    common: ReadonlyArray<readonly [string, string]>,
    isHead: boolean,
  ): void {
    const first = !stream.responded;
    stream.responded = true;
    this.core.table.settle(stream);
    if (!first || stream.finished || this.phase() === "closed") return cancelPulled(response);
    stream.headers = responseFields(response, common);
    stream.source = sourceFor(response, isHead, this.core.options, this.sourceHooks(stream));
    if (this.phase() === "draining") stream.source?.finish();
    this.core.out.queueResponse(stream);
    this.core.out.flush();
  }

  /**
   * END_STREAM went out: the response is complete. A request still arriving is told to stop
   * (§8.1: RST_STREAM NO_ERROR), and what it sent meanwhile is ignored.
   */
  ended(stream: ServerStream): void {
    stream.completed();
    stream.state = afterLocalEnd(stream.state);
    if (stream.state === "closed") return this.core.table.close(stream, "closed");
    this.core.out.queueControl(encodeRstStream(stream.id, "NO_ERROR"));
    stream.abandon();
    this.core.table.close(stream, "reset-by-us");
  }

  /** A source's piece came: write; it failed: the stream is reset (INTERNAL_ERROR) and the reason logged. */
  private sourceHooks(stream: ServerStream): SourceHooks {
    const core = this.core;
    return {
      wake: () => this.guard(() => core.out.flush()),
      fail: (reason) =>
        this.guard(() => {
          core.events.log(`HTTP/2 stream ${stream.id} reset: ${reason}`);
          core.resetStream(stream.id, "INTERNAL_ERROR", reason, false);
          core.out.flush();
        }),
    };
  }
}

/** A response that will not be sent: its pulled body's producer is told to stop. */
function cancelPulled(response: HttpResponse): void {
  const body = response.body;
  if (body !== null && !(body instanceof Uint8Array) && body.kind === "pull") body.cancel();
}
