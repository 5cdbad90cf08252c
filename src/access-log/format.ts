import type { LogTime } from "./log-time.ts";
import type { AccessRecord } from "./record.ts";

/**
 * One access log line per request, without the trailing newline (batcher.ts adds it).
 *
 *   common    Apache's and nginx's Common Log Format, exactly:
 *             %h %l %u %t "%r" %>s %b  (Apache mod_log_config, "Common Log Format")
 *   combined  common + "%{Referer}i" "%{User-agent}i", exactly nginx's predefined "combined"
 *             and Apache's "Combined Log Format", so that goaccess, AWStats and the rest parse
 *             it with their stock COMBINED setting. Nothing is appended: the request's duration,
 *             id, Host and place on its connection are in json only.
 *   json      one JSON object (RFC 8259) per line, every field of the record; null where absent.
 */
export type LogFormat = "common" | "combined" | "json";

export const LOG_FORMATS: readonly LogFormat[] = ["common", "combined", "json"];

export function isLogFormat(text: string): text is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(text);
}

export function accessLine(format: LogFormat, record: AccessRecord, time: LogTime): string {
  switch (format) {
    case "common":
      return commonLine(record, time);
    case "combined":
      return `${commonLine(record, time)} "${headerValue(record.referer)}" "${headerValue(record.userAgent)}"`;
    case "json":
      return jsonLine(record, time);
  }
}

/**
 * %h %l %u %t "%r" %>s %b. %l (identd) and %u (HTTP authentication) are never known here: "-".
 * %b is Apache's: "-" for a response without body bytes, where nginx's $body_bytes_sent writes
 * 0. Both are read by every CLF parser; Apache's is the one the format was defined with (NCSA
 * httpd), and it tells "no body" apart from the bytes of a body at a glance.
 */
function commonLine(record: AccessRecord, time: LogTime): string {
  const client = record.client === "" ? "-" : escapeLogValue(record.client);
  const bytes = record.bodyBytes > 0 ? String(record.bodyBytes) : "-";
  return `${client} - - [${time.clf(record.startedMs)}] "${requestLine(record)}" ${record.status} ${bytes}`;
}

/** %r: the request line (RFC 9112 §3) as the parser read it; "-" when there was none, as Apache writes. */
function requestLine(record: AccessRecord): string {
  if (record.method === "") return "-";
  return `${escapeLogValue(record.method)} ${escapeLogValue(record.target)} HTTP/${record.version}`;
}

/** A request header's value for %{...}i: "-" when the request had none (Apache, nginx). */
function headerValue(value: string | null): string {
  return value === null ? "-" : escapeLogValue(value);
}

/**
 * JSON.stringify always writes valid JSON (it escapes quotes, backslashes and C0 controls, and
 * since ES2019 lone surrogates). The strings are the parser's latin-1 view of the bytes, so a
 * byte over 0x7F is written as the character U+0080..U+00FF of that value; of those, DEL and the
 * C1 controls (U+007F..U+009F), which JSON allows raw (RFC 8259 §7), are escaped here, as are
 * U+2028 and U+2029: a terminal must not act on them, nor a reader that splits lines on NEL
 * (U+0085) or the Unicode separators take one object for two lines.
 */
function jsonLine(record: AccessRecord, time: LogTime): string {
  return escapeJsonControls(JSON.stringify(jsonFields(record, time)));
}

/** How a WebSocket ended, for its closing line. */
export interface WebSocketEnd {
  /** The close code the app was given (1005: none sent; 1006: the connection closed without a close frame). */
  readonly code: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
}

/**
 * The json line written when a WebSocket closes: the upgrade's fields (status 101, its time),
 * with `bytes` the frames sent and `duration_ms` the session's whole length (from the request's
 * head to the close, as nginx logs a 101), and what only a WebSocket has: `event`, the close
 * code and the messages each way. The upgrade itself had its own line when the 101 went out.
 */
export function websocketCloseLine(record: AccessRecord, end: WebSocketEnd, time: LogTime): string {
  return escapeJsonControls(JSON.stringify({
    ...jsonFields(record, time),
    event: "websocket_close",
    close_code: end.code,
    messages_in: end.messagesIn,
    messages_out: end.messagesOut,
  }));
}

function jsonFields(record: AccessRecord, time: LogTime): Record<string, unknown> {
  return {
    time: time.iso(record.startedMs),
    client: record.client,
    method: record.method,
    target: record.target,
    protocol: `HTTP/${record.version}`,
    status: record.status,
    bytes: record.bodyBytes,
    referer: record.referer,
    user_agent: record.userAgent,
    duration_ms: durationMs(record.durationMs),
    request_id: record.requestId,
    connection_requests: record.connectionRequests,
    host: record.host,
    scheme: record.scheme,
  };
}

/** What JSON.stringify leaves raw that a log line must not carry (see jsonLine). */
const RAW_CONTROL = /[\u007f-\u009f\u2028\u2029]/;
const RAW_CONTROLS = /[\u007f-\u009f\u2028\u2029]/g;

/** JSON text with those characters written as \uXXXX: the same JSON value, inside strings being the only place they can be. */
function escapeJsonControls(json: string): string {
  if (!RAW_CONTROL.test(json)) return json;
  return json.replace(RAW_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Rounded to the microsecond; never negative (a wall clock stepped back) nor NaN. */
function durationMs(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms * 1000) / 1000 : 0;
}

/** What nginx's default log escaping (escape=default, ngx_http_log_module) writes as \xHH. */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

const encoder = new TextEncoder();

const hex = (byte: number): string => `\\x${byte < 16 ? "0" : ""}${byte.toString(16).toUpperCase()}`;

/**
 * A value for a log line as nginx escapes it: `"` as \x22, `\` as \x5C, and every byte below
 * 0x20 or from 0x7F as \xHH (ngx_http_log_escape), so that a field never ends its quotes or
 * the line. Values are latin-1 (one char a byte); a char beyond that is written as its UTF-8
 * bytes, each escaped.
 */
export function escapeLogValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 0x22 && c !== 0x5c && c >= 0x20 && c < 0x7f) {
      out += value[i];
    } else if (c <= 0xff) {
      out += hex(c);
    } else {
      // A surrogate pair is one code point; a lone surrogate encodes as U+FFFD (WHATWG Encoding §9.1).
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      for (const byte of encoder.encode(value.slice(i, pair ? i + 2 : i + 1))) out += hex(byte);
      if (pair) i++;
    }
  }
  return out;
}
