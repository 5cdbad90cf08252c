import type { RequestHead } from "../http/parser/request-head.ts";
import { emptyFields } from "../http/request-fields.ts";
import { type ConnectionError, connectionError } from "./error.ts";
import { dependsOnItself, type HeadersFrame } from "./frame.ts";
import { regularFieldProblem } from "./field-checks.ts";
import type { HeaderBlockStart } from "./header-block.ts";
import type { DecodeResult, HeaderField } from "./hpack/decode-result.ts";
import { mapRequest } from "./request-mapping.ts";
import type { SessionCore } from "./session-core.ts";
import type { ServerStream } from "./stream.ts";
import { remoteOpen } from "./stream-state.ts";
import { idleOrClosed } from "./stream-frames.ts";

/**
 * A whole field block (§4.3): decoded first, whatever becomes of its stream, so HPACK's table
 * stays in step with the peer's (a COMPRESSION_ERROR ends the connection); then a new request,
 * a request's trailers, or a block on a closed stream.
 */
export function onHeaderBlock(core: SessionCore, start: HeaderBlockStart, block: Uint8Array): ConnectionError | null {
  const decoded = core.decoder.decode(block);
  if (decoded.kind === "compression-error") return connectionError("COMPRESSION_ERROR", decoded.reason);
  if (start.type !== "HEADERS") return connectionError("PROTOCOL_ERROR", "PUSH_PROMISE from a client (§8.4)");
  const id = start.streamId;
  const stream = core.table.get(id);
  if (stream !== undefined) return onTrailers(core, stream, decoded, start.endStream);
  switch (idleOrClosed(core, id)) {
    case "idle":
      return id % 2 === 0 ? connectionError("PROTOCOL_ERROR", `HEADERS on even stream ${id} (§5.1.1)`) : onRequest(
        core,
        start,
        decoded,
      );
    case "reset-by-us":
      return null; // §5.1: sent before the peer saw our RST_STREAM; decoded, then ignored
    case "closed":
      return connectionError("STREAM_CLOSED", `HEADERS on closed stream ${id}`);
    case "never-used":
      return connectionError("PROTOCOL_ERROR", `HEADERS on stream ${id}, below one already used (§5.1.1)`);
  }
}

/**
 * A new stream's request (§8.3): ignored after GOAWAY (§6.8); refused past the concurrency limit
 * (§5.1.2, REFUSED_STREAM) or depending on itself (§5.3.1); answered 431 past the field list's
 * limits (§10.5.1) and 501 for CONNECT; reset when malformed (§8.1.1); else to a handler.
 */
function onRequest(
  core: SessionCore,
  start: Omit<HeadersFrame, "fragment">,
  decoded: Exclude<DecodeResult, { kind: "compression-error" }>,
): ConnectionError | null {
  const id = start.streamId;
  if (!core.accepting) return ignore(core, id);
  if (!core.countNewStream()) {
    return connectionError(
      "ENHANCE_YOUR_CALM",
      `more than ${core.options.maxNewStreamsPerRead} new streams in one read`,
    );
  }
  core.table.used(id);
  if (start.priority !== null && dependsOnItself(id, start.priority)) {
    return core.resetStream(id, "PROTOCOL_ERROR", `stream ${id} depends on itself`);
  }
  if (core.table.openCount >= core.options.maxConcurrentStreams) {
    return core.resetStream(
      id,
      "REFUSED_STREAM",
      `stream ${id} over ${core.options.maxConcurrentStreams} open streams`,
    );
  }
  if (decoded.kind === "too-large") return refuse(core, core.openStream(id, standIn(), start.endStream), 431);
  const mapped = mapRequest(decoded.fields, start.endStream);
  if (mapped.kind === "malformed") return core.resetStream(id, "PROTOCOL_ERROR", `malformed request: ${mapped.reason}`);
  const stream = core.openStream(id, mapped.head, start.endStream);
  return mapped.kind === "connect" ? refuse(core, stream, 501) : core.dispatch(stream);
}

/**
 * §6.8: a stream opened after GOAWAY (ours or the peer's) is ignored; its identifier counts as
 * used, and what follows on it (DATA the peer sent before it saw our GOAWAY) is ignored too.
 */
function ignore(core: SessionCore, id: number): null {
  core.table.used(id, false);
  core.table.noteReset(id);
  return null;
}

/** A request answered without the app: its body (if any) discarded, the connection's refusal asked for. */
function refuse(core: SessionCore, stream: ServerStream, status: number): null {
  stream.body?.cancel();
  core.events.refused(stream, status);
  return null;
}

/** The head of a request whose fields were dropped (over the list's limits): nothing known of it. */
function standIn(): RequestHead {
  return {
    method: "",
    target: "",
    version: "2.0",
    headers: [],
    fields: emptyFields(),
    host: null,
    body: { kind: "none" },
    keepAlive: true,
    expectContinue: false,
  };
}

/**
 * §8.1: a second HEADERS is the request's trailers: it must end the stream and carry no
 * pseudo-header (§8.3), its fields valid (§8.2); accepted and ignored. After the peer's
 * END_STREAM it is STREAM_CLOSED (§5.1). Trailers over the list's limits are ignored too.
 */
function onTrailers(
  core: SessionCore,
  stream: ServerStream,
  decoded: Exclude<DecodeResult, { kind: "compression-error" }>,
  endStream: boolean,
): ConnectionError | null {
  const id = stream.id;
  if (!remoteOpen(stream.state)) {
    return core.resetStream(id, "STREAM_CLOSED", `HEADERS on stream ${id} after END_STREAM`);
  }
  if (!endStream) return core.resetStream(id, "PROTOCOL_ERROR", `trailers on stream ${id} without END_STREAM`);
  const problem = (decoded.kind === "fields" ? trailerProblem(decoded.fields) : null) ?? stream.body?.end() ?? null;
  if (problem !== null) return core.resetStream(id, "PROTOCOL_ERROR", `malformed request: ${problem}`);
  core.remoteEnded(stream);
  return null;
}

function trailerProblem(fields: readonly HeaderField[]): string | null {
  for (const { name, value } of fields) {
    if (name.startsWith(":")) return "a pseudo-header field in trailers";
    const problem = regularFieldProblem(name, value);
    if (problem !== null) return problem;
  }
  return null;
}
