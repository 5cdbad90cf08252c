/**
 * Small builders the HTTP/2 conformance cases (h2-cases-*.ts) share: frames by hand (flags and
 * all, valid or not), requests on chosen streams, HPACK bytes written octet by octet for the
 * blocks an encoder would never produce.
 */
import { ERROR_CODE, type ErrorCodeName } from "../../src/http2/error.ts";
import { FLAG, FRAME_TYPE } from "../../src/http2/frame.ts";
import { SETTING } from "../../src/http2/settings.ts";
import { CASE_WAIT_MS, type Expectation } from "./h2-case-runner.ts";
import { type Field, summarize } from "./h2-events.ts";
import { type H2Client, isFrame, rawFrame } from "./h2-raw.ts";
import { SITE } from "./h2-servers.ts";

export { FLAG, FRAME_TYPE, rawFrame };

export const END_STREAM = FLAG.END_STREAM;
export const END_HEADERS = FLAG.END_HEADERS;
export const PADDED = FLAG.PADDED;
export const PRIORITY = FLAG.PRIORITY;
export const ACK = FLAG.ACK;

/** A frame type no RFC defines (§5.5 says to ignore it). */
export const UNKNOWN_TYPE = 0x2a;

/** A HEADERS frame with the fields encoded by the connection's encoder, flags as given. */
export function headersFrame(c: H2Client, streamId: number, fields: readonly Field[], flags: number): Uint8Array {
  return rawFrame(FRAME_TYPE.HEADERS, flags, streamId, c.encode(fields));
}

/** GET path on the stream, END_STREAM and END_HEADERS set. */
export function sendGet(c: H2Client, streamId: number, path: string = SITE.index): void {
  c.send(headersFrame(c, streamId, c.requestFields(path), END_STREAM | END_HEADERS));
}

/** Our INITIAL_WINDOW_SIZE of 0: the server can send a response's HEADERS but no DATA, so the stream stays open. */
export const HOLD = [{ id: SETTING.INITIAL_WINDOW_SIZE, value: 0 }] as const;

/** A GET of the large file that the server cannot finish under HOLD: the stream stays half-closed (remote). */
export function holdStream(c: H2Client, streamId = 1): void {
  sendGet(c, streamId, SITE.large);
}

/** A POST's HEADERS without END_STREAM: the stream stays open for DATA (§5.1). */
export function sendPostHeaders(c: H2Client, streamId: number, extra: readonly Field[] = []): void {
  c.send(headersFrame(c, streamId, c.requestFields(SITE.index, extra, "POST"), END_HEADERS));
}

/** A DATA frame, unpadded. */
export function dataFrame(streamId: number, data: Uint8Array | string, endStream: boolean): Uint8Array {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return rawFrame(FRAME_TYPE.DATA, endStream ? END_STREAM : 0, streamId, bytes);
}

/** The response on a stream, awaited to its end (so the stream is closed when it returns). */
export async function awaitEnd(c: H2Client, streamId: number): Promise<void> {
  await c.response(streamId, 3000);
}

/** Waits until the server has sent the response's HEADERS on the stream (its body may be held back). */
export async function awaitHeaders(c: H2Client, streamId: number): Promise<void> {
  await c.waitFor((e) => e.kind === "fields" && e.streamId === streamId, 3000);
}

/** §5.1: an integer on an N-bit prefix, the bits above it `high`. */
export function hpackInteger(value: number, prefixBits: number, high: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [high | value];
  const out = [high | max];
  let rest = value - max;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/** A string literal (§5.2), not Huffman-coded: its length on a 7-bit prefix, then its octets. */
export function str(text: string): number[] {
  return [...hpackInteger(text.length, 7, 0x00), ...Array.from(text, (ch) => ch.charCodeAt(0))];
}

/** A literal field without indexing and with a literal name (§6.2.2). */
export function literal(name: string, value: string): number[] {
  return [0x00, ...str(name), ...str(value)];
}

/** A literal field with incremental indexing and a literal name (§6.2.1): it joins the dynamic table. */
export function indexedLiteral(name: string, value: string): number[] {
  return [0x40, ...str(name), ...str(value)];
}

/**
 * A GET's fields as raw HPACK octets, none of them indexed into the dynamic table: :method GET
 * (static 2), :scheme (6 http, 7 https), :path / (4), then :authority as a literal with name
 * index 1.
 */
export function rawGetBlock(c: H2Client): number[] {
  const authority = `${c.endpoint.host}:${c.endpoint.port}`;
  return [0x82, c.endpoint.tls ? 0x87 : 0x86, 0x84, 0x01, ...str(authority)];
}

/** A HEADERS frame carrying raw HPACK octets, END_STREAM and END_HEADERS set. */
export function rawHeaders(
  streamId: number,
  block: number[] | Uint8Array,
  flags = END_STREAM | END_HEADERS,
): Uint8Array {
  return rawFrame(FRAME_TYPE.HEADERS, flags, streamId, block instanceof Uint8Array ? block : Uint8Array.from(block));
}

/** The request fields with some replaced or left out (a null value drops the field). */
export function requestWith(
  c: H2Client,
  changes: Record<string, string | null>,
  extra: readonly Field[] = [],
): Field[] {
  const base = c.requestFields(SITE.index);
  const out: Field[] = [];
  for (const [name, value] of base) {
    if (!(name in changes)) out.push([name, value]);
    else if (changes[name] !== null) out.push([name, changes[name]!]);
  }
  return [...out, ...extra];
}

/** The outcomes, short: a connection error with one of the codes (h2-case-runner.ts says what each accepts). */
export function connectionError(...codes: ErrorCodeName[]): Expectation {
  return { kind: "connection-error", codes };
}

/** A stream error with one of the codes (or a connection error with one of them). */
export function streamError(...codes: ErrorCodeName[]): Expectation {
  return { kind: "stream-error", codes };
}

/** Ignored: the connection goes on. */
export const ALIVE: Expectation = { kind: "alive" };

/** A response on the stream (of this status when given). */
export function answered(streamId = 1, status?: number): Expectation {
  return { kind: "response", streamId, status };
}

/**
 * §8.1.1: a malformed request is a stream error of type PROTOCOL_ERROR; the server MAY send a
 * response (a 4xx) before it closes or resets the stream, so that passes too.
 */
export function malformed(streamId = 1): Expectation {
  return {
    kind: "check",
    says: "malformed (§8.1.1): RST_STREAM PROTOCOL_ERROR, a connection error PROTOCOL_ERROR, or a 4xx response",
    check: async (c, from) => {
      const verdict = await c.waitFor(
        (e) => {
          if (e.kind === "closed") return "pass";
          if (isFrame(e, "RST_STREAM") && e.frame.streamId === streamId) {
            return e.frame.errorCode === ERROR_CODE.PROTOCOL_ERROR ? "pass" : "fail";
          }
          if (isFrame(e, "GOAWAY")) return e.frame.errorCode === ERROR_CODE.PROTOCOL_ERROR ? "pass" : "fail";
          if (e.kind === "fields" && e.streamId === streamId) {
            const status = Number(e.fields.find(([name]) => name === ":status")?.[1]);
            return status >= 400 && status < 500 ? "pass" : "fail";
          }
          return undefined;
        },
        CASE_WAIT_MS,
        from,
      );
      return verdict === "pass"
        ? null
        : `${summarize(c.events.slice(from))}${verdict === null ? " (then nothing)" : ""}`;
    },
  };
}

/** A PING ACK carrying exactly this data, and no GOAWAY or close before it. */
export function pingAck(data: Uint8Array): Expectation {
  return {
    kind: "check",
    says: "a PING ACK with the same 8 bytes",
    check: async (c, from) => {
      const verdict = await c.waitFor(
        (e) => {
          if (isFrame(e, "PING") && e.frame.ack) {
            return e.frame.opaqueData.every((b, i) => b === data[i]) ? "pass" : undefined;
          }
          return isFrame(e, "GOAWAY") || e.kind === "closed" ? "fail" : undefined;
        },
        CASE_WAIT_MS,
        from,
      );
      return verdict === "pass" ? null : summarize(c.events.slice(from));
    },
  };
}

/** A GOAWAY with one of the codes before the connection closes (§5.4.1: it SHOULD come first). */
export function goawayFirst(...codes: ErrorCodeName[]): Expectation {
  return {
    kind: "check",
    says: `a GOAWAY ${codes.join("/")} before the close`,
    check: async (c, from) => {
      const verdict = await c.waitFor(
        (e) => {
          if (isFrame(e, "GOAWAY")) {
            return codes.some((code) => ERROR_CODE[code] === e.frame.errorCode) ? "pass" : "fail";
          }
          return e.kind === "closed" ? "fail" : undefined;
        },
        CASE_WAIT_MS,
        from,
      );
      return verdict === "pass" ? null : summarize(c.events.slice(from));
    },
  };
}

/** Eight bytes of PING data. */
export const PING_DATA = Uint8Array.from([0x73, 0x75, 0x6e, 0x64, 0x69, 0x61, 0x6c, 0x32]);
