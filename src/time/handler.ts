import { acceptsMediaType } from "../http/negotiation/accept.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import { type HttpResponse, type StreamBody, utf8 } from "../http/response.ts";
import type { Clock } from "../ports/clock.ts";
import { canonicalZone, timeFields, timeText } from "./fields.ts";

/** Who asked: the fields of /time that depend on the request rather than the instant. */
export interface TimeRequest {
  readonly clientIp: string;
}

type Fields = ReadonlyArray<readonly [string, string]>;

// The answer is only true for an instant: never store it (RFC 9111 §5.2.2.5). It depends on
// Accept (JSON, text, event stream), so caches must key on it (RFC 9110 §12.5.5).
const NO_STORE: Fields = [["Cache-Control", "no-store"], ["Vary", "Accept"]];
const JSON_HEADERS: Fields = [["Content-Type", "application/json; charset=utf-8"], ...NO_STORE];
const TEXT_HEADERS: Fields = [["Content-Type", "text/plain; charset=utf-8"], ...NO_STORE];
// A proxy must pass each event on as it comes: nginx buffers a proxied response unless it says
// X-Accel-Buffering: no (behind its default proxy_buffering, events arrived seconds late, in bursts).
const EVENT_HEADERS: Fields = [["Content-Type", "text/event-stream; charset=utf-8"], ...NO_STORE, [
  "X-Accel-Buffering",
  "no",
]];

export type TimeFormat = "json" | "text" | "events";

/** What a /time request asks for: its zone (null: the server's) and format, or the zone it named that does not exist. */
export type TimeQuery =
  | { readonly kind: "ok"; readonly zone: string | null; readonly format: TimeFormat }
  | { readonly kind: "unknown-zone"; readonly name: string };

/**
 * Reads /time, /time.txt and /time/Area/Location, with ?tz=Area/Location and Accept. Returns
 * null when the path is not a /time path at all.
 */
export function parseTimeRequest(rawPath: string, query: string | null, head: RequestHead): TimeQuery | null {
  let format: TimeFormat | null = null;
  let named: string | null = null;
  if (rawPath === "/time") format = null;
  else if (rawPath === "/time.txt") format = "text";
  else if (rawPath.startsWith("/time/")) {
    // /time/Area/Location, or /time/Area/Location.txt for text.
    const text = rawPath.endsWith(".txt");
    if (text) format = "text";
    const path = rawPath.slice(6, text ? -4 : undefined);
    named = decodeZonePath(path);
    if (named === null) return { kind: "unknown-zone", name: path };
  } else return null;
  if (query !== null && query.includes("tz=")) {
    const tz = new URLSearchParams(query).get("tz");
    // An empty ?tz= means no zone was chosen: the server's.
    if (tz !== null && tz !== "") named = tz;
  }
  format ??= formatFor(head.fields.accept);
  if (named === null) return { kind: "ok", zone: null, format };
  const zone = canonicalZone(named);
  return zone === null ? { kind: "unknown-zone", name: named } : { kind: "ok", zone, format };
}

/** Percent-decoded zone path ("America/Argentina/Buenos_Aires"), or null when it cannot be decoded. */
function decodeZonePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** RFC 9110 §12.5.1: an event stream or plain text when the client lists it (q > 0); JSON otherwise. */
function formatFor(accept: string | undefined): TimeFormat {
  if (accept === undefined) return "json";
  if (acceptsMediaType(accept, "text/event-stream")) return "events";
  if (acceptsMediaType(accept, "text/plain") && !acceptsMediaType(accept, "application/json")) return "text";
  return "json";
}

/** 400 with a JSON error naming the zone. */
export function unknownZone(name: string): HttpResponse {
  const body = utf8(`${JSON.stringify({ error: "unknown time zone", timezone: name })}\n`);
  return { status: 400, headers: JSON_HEADERS, body };
}

/** The last JSON answer, reused for the same millisecond, zone and client (every field is the same). */
let last: { ms: number; zone: string; ip: string; response: HttpResponse } | null = null;
/** The instant part of the JSON (without its closing brace), per millisecond and zone. */
let lastInstant: { ms: number; zone: string; json: string } | null = null;

function instantJson(ms: number, zone: string): string {
  if (lastInstant !== null && lastInstant.ms === ms && lastInstant.zone === zone) return lastInstant.json;
  const json = JSON.stringify(timeFields(ms, zone)).slice(0, -1);
  lastInstant = { ms, zone, json };
  return json;
}

/** The whole document: the instant, who asked, when the request arrived and when the answer left. */
function documentJson(ms: number, zone: string, request: TimeRequest, receivedMs: number): string {
  return `${instantJson(ms, zone)},"client_ip":${
    JSON.stringify(request.clientIp)
  },"received_ms":${receivedMs},"sent_ms":${ms}}`;
}

/** GET /time: the current instant in a zone, as JSON, text or an event stream. */
export function timeResponse(
  clock: Clock,
  query: { zone: string | null; format: TimeFormat },
  request: TimeRequest,
): HttpResponse {
  const ms = clock.now();
  const zone = query.zone ?? clock.timeZone();
  // The request arrived in this same turn of the event loop: received and sent share the instant.
  switch (query.format) {
    case "events":
      return { status: 200, headers: EVENT_HEADERS, body: timeEvents(clock, zone, request, ms) };
    case "text": {
      const fields = { ...timeFields(ms, zone), client_ip: request.clientIp, received_ms: ms, sent_ms: ms };
      return { status: 200, headers: TEXT_HEADERS, body: utf8(timeText(fields)) };
    }
    case "json": {
      if (last !== null && last.ms === ms && last.zone === zone && last.ip === request.clientIp) return last.response;
      const response: HttpResponse = {
        status: 200,
        headers: JSON_HEADERS,
        body: utf8(documentJson(ms, zone, request, ms)),
      };
      last = { ms, zone, ip: request.clientIp, response };
      return response;
    }
  }
}

/**
 * Server-Sent Events (HTML Living Standard §9.2): one event a second, on the second, each the
 * /time document, until the client goes away or the server shuts down.
 */
function timeEvents(clock: Clock, zone: string, request: TimeRequest, receivedMs: number): StreamBody {
  return {
    kind: "stream",
    start(sink) {
      let cancel: () => void = () => {};
      const tick = (): void => {
        const ms = clock.now();
        sink.write(utf8(`id: ${ms}\ndata: ${documentJson(ms, zone, request, receivedMs)}\n\n`));
        cancel = clock.after(1000 - (ms % 1000), tick);
      };
      // The reconnection delay, then the first event at once.
      sink.write(utf8("retry: 1000\n\n"));
      tick();
      return () => cancel();
    },
  };
}
