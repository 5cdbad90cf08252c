/**
 * What the raw HTTP/2 client (h2-raw.ts) records of a connection, in the order it happened: each
 * frame the server sent (parsed by src/http2/frame-reader.ts, its bytes copied), each field block
 * decoded (HEADERS or PUSH_PROMISE with their CONTINUATIONs, by src/http2/hpack/decoder.ts), what
 * of the server's output broke the protocol, and the connection's end.
 */
import { errorCodeName } from "../../src/http2/error.ts";
import type { Frame } from "../../src/http2/frame.ts";

/** A field as sent or received: [name, value], latin1. */
export type Field = readonly [string, string];

export type H2Event =
  | { readonly kind: "frame"; readonly frame: Frame }
  /** A whole field block, decoded: a response's (or trailers') fields, or a PUSH_PROMISE's (`promised`). */
  | {
    readonly kind: "fields";
    readonly streamId: number;
    readonly fields: readonly Field[];
    readonly endStream: boolean;
    readonly promised?: number;
  }
  /** The server's output broke a rule the frame reader or the HPACK decoder checks (reading stops). */
  | { readonly kind: "violation"; readonly reason: string }
  /** The connection ended: the server's FIN, a reset, or a failed write. */
  | { readonly kind: "closed"; readonly how: string };

/** A frame with its byte fields copied out of the input piece they were views of. */
export function copyFrame(frame: Frame): Frame {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frame)) copy[key] = value instanceof Uint8Array ? value.slice() : value;
  return copy as unknown as Frame;
}

/** An error code's name, or the number for a code RFC 9113 §7 does not define. */
export function codeName(code: number): string {
  return errorCodeName(code) ?? `0x${code.toString(16)}`;
}

/** One event in a few words, for failure messages ("GOAWAY PROTOCOL_ERROR last 1", "closed (end)"). */
export function describeEvent(event: H2Event): string {
  switch (event.kind) {
    case "fields": {
      const status = event.fields.find(([name]) => name === ":status")?.[1];
      const what = event.promised !== undefined ? `PUSH_PROMISE ${event.promised}` : `fields`;
      return `${what} on ${event.streamId}${status === undefined ? "" : ` :status ${status}`}${
        event.endStream ? " END_STREAM" : ""
      }`;
    }
    case "violation":
      return `server violation: ${event.reason}`;
    case "closed":
      return `closed (${event.how})`;
    case "frame":
      return describeFrame(event.frame);
  }
}

function describeFrame(frame: Frame): string {
  switch (frame.type) {
    case "GOAWAY":
      return `GOAWAY ${codeName(frame.errorCode)} last ${frame.lastStreamId}${
        frame.debugData.length > 0 ? ` "${new TextDecoder().decode(frame.debugData).slice(0, 80)}"` : ""
      }`;
    case "RST_STREAM":
      return `RST_STREAM ${frame.streamId} ${codeName(frame.errorCode)}`;
    case "SETTINGS":
      return frame.ack ? "SETTINGS ACK" : `SETTINGS ${frame.settings.map((s) => `${s.id}=${s.value}`).join(",")}`;
    case "PING":
      return frame.ack ? "PING ACK" : "PING";
    case "DATA":
      return `DATA ${frame.streamId} ${frame.data.length}B${frame.endStream ? " END_STREAM" : ""}`;
    case "WINDOW_UPDATE":
      return `WINDOW_UPDATE ${frame.streamId} +${frame.increment}`;
    default:
      return `${frame.type} ${frame.streamId}`;
  }
}

/** Events in a line, the frames the handshake brings anyway (SETTINGS, their ACKs, window updates) left out. */
export function summarize(events: readonly H2Event[]): string {
  const shown = events.filter((e) =>
    !(e.kind === "frame" && (e.frame.type === "SETTINGS" || e.frame.type === "WINDOW_UPDATE")) &&
    !(e.kind === "frame" && (e.frame.type === "HEADERS" || e.frame.type === "CONTINUATION"))
  );
  if (shown.length === 0) return "nothing";
  const words = shown.slice(0, 12).map(describeEvent);
  if (shown.length > 12) words.push(`and ${shown.length - 12} more`);
  return words.join(", ");
}
