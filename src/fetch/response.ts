import type { HttpResponse, PullBody, PullRead } from "../http/response.ts";
import { statusForbidsBody } from "../http/response.ts";
import type { HeldBody } from "../ports/held-body.ts";
import { joinPieces } from "./request-body-reading.ts";

/**
 * Fields the server frames itself (RFC 9110 §7.6.1 connection options, RFC 9112 §6): an app's
 * are not passed through. Content-Length is replaced by the length actually sent; Date and
 * Server are the server's own (RFC 9110 §6.6.1, §10.2.4).
 */
const FRAMING_FIELDS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "date",
  "server",
]);

/**
 * What is read of a body before the head is sent, to learn whether it ends there (then it goes
 * with Content-Length). Reading asks the app's stream for more, and whatever is read waits in
 * memory until the client takes it, so this is what each slow reader can cost before the
 * send-buffer budget applies (src/connection/send-pull.ts): 64 KiB, about what a fresh
 * connection's kernel send buffer takes at once over an Ethernet path (so it leaves memory at
 * once even for a slow client), the size that leaves with its head in one write
 * (src/connection/respond.ts), the write queue's high-water mark. In-memory bodies come in one
 * or two pieces whatever their size (a string, bytes, JSON; on Bun 16 KiB and then the rest, so
 * the read-ahead must pass 16 KiB), and their stream has closed by the time the piece that
 * reaches 64 KiB is read, so they still get Content-Length (and, on Bun, their hidden type).
 */
const READ_AHEAD = 64 * 1024;

/**
 * Microtask turns a read may take and still count as "ready": a body made from a string, bytes,
 * a Blob or FormData is in memory, and its reads resolve within two turns on Bun and within 17
 * on Node and Deno (a Blob's first read takes five on Deno; a file part of a FormData 17); a
 * producer that waits for anything (a timer, the disk, the network) takes a macrotask. A ready
 * read ends the wait at once, so the margin costs only a read that is not ready (about a
 * microsecond, once: after it the body is pulled).
 */
const READY_TURNS = 32;

/**
 * Whether this runtime keeps a string body's Content-Type out of response.headers (Bun 1.4 does:
 * its own server adds text/plain when it sends; Node and Deno put it in the headers, as Fetch
 * says). Found by trying once, not by the runtime's name. Where it hides, a response without a
 * Content-Type gets the one its body has (Blob.type), as Bun's own server would send.
 */
const TYPE_HIDDEN = !new Response("").headers.has("content-type");

type Read = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/** The read's result if it settles within READY_TURNS microtask turns, else null (it is still pending). */
async function readyWithin(next: Promise<Read>): Promise<Read | null> {
  let result: Read | null = null;
  let failed = false;
  let error: unknown;
  next.then((r) => void (result = r), (e: unknown) => {
    failed = true;
    error = e;
  });
  // A bare await is one microtask turn, cheaper than a race against a chain of promises.
  for (let turn = 0; turn < READY_TURNS && result === null && !failed; turn++) await undefined;
  if (failed) throw error;
  return result;
}

/**
 * Whether the stream has closed within READY_TURNS microtask turns, without asking it for more:
 * a body held in memory closes as its last piece is taken, a produced one stays open. (An error
 * counts as open: the pulled body's next read reports it.)
 */
async function closedWithin(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  let closed = false;
  let settled = false;
  reader.closed.then(() => {
    closed = true;
    settled = true;
  }, () => void (settled = true));
  for (let turn = 0; turn < READY_TURNS && !settled; turn++) await undefined;
  return closed;
}

/**
 * A fetch Response as the core's HttpResponse at once, when the runtime holds its body in memory
 * (src/ports/held-body.ts): a string or bytes body goes with its length, and no stream is made or
 * read. Null when it does not hold it, or the body's type would have to be learnt from the body
 * (Bun's hidden type, TYPE_HIDDEN), or the status forbids a body: then toHttpResponse.
 */
export function heldHttpResponse(response: Response, heldBody: HeldBody): HttpResponse | null {
  const status = response.status;
  if (status < 200 || statusForbidsBody(status)) return null;
  const bytes = heldBody(response);
  if (bytes === null) return null;
  const { headers, typed } = passedFields(response.headers);
  return TYPE_HIDDEN && !typed ? null : { status, headers, body: bytes, once: true };
}

/**
 * A fetch Response as the core's HttpResponse: the fields passed on (passedFields), then the body
 * (readAhead). At most READ_AHEAD (64 KiB) of what the body has ready is read before the head is
 * sent: a body that ends within it, or whose stream has closed by the read that reaches it, goes
 * with Content-Length (string, bytes, Blob, FormData, JSON bodies, and streams that finish at
 * once); a longer or slower one is pulled as the client takes it, chunked (or close-delimited for
 * HTTP/1.0), or with the app's own Content-Length when it gave one.
 */
export async function toHttpResponse(response: Response): Promise<HttpResponse> {
  const status = response.status;
  // RFC 9110 §15.2: a 1xx is interim, never the answer; a 101 only as the server switches protocols.
  if (status < 200) throw new TypeError(informationalRefusal(status));
  const { headers, declared, typed } = passedFields(response.headers);
  const stream = response.body;
  if (stream === null) {
    return { status, headers, body: statusForbidsBody(status) ? null : new Uint8Array(0), once: true };
  }
  if (statusForbidsBody(status)) {
    void stream.cancel().catch(() => {});
    return { status, headers, body: null, once: true };
  }
  const start = await readAhead(response, TYPE_HIDDEN && !typed);
  if (start.kind === "pull") {
    return { status, headers, body: pulled(start.reader, start.ready, start.inFlight, declared), once: true };
  }
  if (start.type !== "") headers.unshift(["content-type", start.type]);
  return { status, headers, body: start.bytes, once: true };
}

/**
 * Why a 1xx from the app is a 500: sent as the answer, the client would wait for the final
 * response forever (RFC 9110 §15.2), and a 101 switches protocols only when the server performs
 * the switch (RFC 9110 §15.2.2), which it does only through its own upgrade API.
 */
function informationalRefusal(status: number): string {
  return status === 101
    ? "the fetch handler answered 101 without an upgrade the server performs"
    : `the fetch handler answered ${status}, an interim status that cannot be the final response`;
}

/** The app's fields the server passes on, the Content-Length it declared, and whether it gave a Content-Type. */
interface PassedFields {
  readonly headers: Array<readonly [string, string]>;
  readonly declared: number | null;
  readonly typed: boolean;
}

/** Drops the fields the server frames itself (FRAMING_FIELDS), keeping a valid declared length. */
function passedFields(fields: Headers): PassedFields {
  const headers: Array<readonly [string, string]> = [];
  let declared: number | null = null;
  let typed = false;
  let unbuffered = false;
  // Iteration gives each Set-Cookie as its own field (Fetch §5.2), the others combined.
  for (const [name, value] of fields) {
    if (!FRAMING_FIELDS.has(name)) {
      headers.push([name, value]);
      if (name === "content-type") {
        typed = true;
        unbuffered = value.startsWith("text/event-stream");
      }
    } else if (name === "content-length" && /^\d{1,15}$/.test(value)) declared = Number(value);
  }
  // An event stream passes through nginx event by event (as /time's does), unless the app said otherwise.
  if (unbuffered && !fields.has("x-accel-buffering")) headers.push(["x-accel-buffering", "no"]);
  return { headers, declared, typed };
}

/** How a body starts: whole within the read-ahead (with its own type where the runtime hides it), or pulled from here. */
type BodyStart =
  | { readonly kind: "whole"; readonly bytes: Uint8Array; readonly type: string }
  | {
    readonly kind: "pull";
    readonly reader: ReadableStreamDefaultReader<Uint8Array>;
    readonly ready: Uint8Array[];
    readonly inFlight: Promise<Read> | null;
  };

/** Reads what the body has ready, up to READ_AHEAD, to learn whether it ends there. */
async function readAhead(response: Response, wantType: boolean): Promise<BodyStart> {
  // Only to learn the body's own type: its branch is read only if the body turns out whole within
  // the read-ahead, and cancelled as soon as it does not (the tee then stops keeping pieces for it).
  // (Cloning tees the body: read response.body again, the branch that is left for us.)
  const typeProbe = wantType ? response.clone() : null;
  const reader = response.body!.getReader();
  const ready: Uint8Array[] = [];
  let readyBytes = 0;
  const whole = async (): Promise<BodyStart> => {
    const type = typeProbe === null ? "" : (await typeProbe.blob()).type;
    return { kind: "whole", bytes: joinPieces(ready, readyBytes), type };
  };
  const handOn = (inFlight: Promise<Read> | null): BodyStart => {
    void typeProbe?.body?.cancel().catch(() => {});
    return { kind: "pull", reader, ready, inFlight };
  };
  while (readyBytes < READ_AHEAD) {
    const next = reader.read();
    // Still pending after the turns, it is handed on (a rejection then is the pulled body's "failed").
    const read = await readyWithin(next);
    if (read === null) return handOn(next);
    if (read.done) return whole();
    const bytes = asBytes(read.value);
    ready.push(bytes);
    readyBytes += bytes.length;
  }
  // RFC 9112 §6.3: whole now, it can be sent with its length; else it goes on as the client takes it.
  return (await closedWithin(reader)) ? whole() : handOn(null);
}

function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError("a response body stream must give Uint8Array chunks");
}

/** The rest of the body, pulled as the connection asks: the ready pieces first, then the read in flight. */
function pulled(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ready: Uint8Array[],
  inFlight: ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]> | null,
  length: number | null,
): PullBody {
  let pending = inFlight;
  const read = async (): Promise<PullRead> => {
    const piece = ready.shift();
    if (piece !== undefined) return { kind: "data", bytes: piece };
    const next = pending ?? reader.read();
    pending = null;
    try {
      const result = await next;
      return result.done ? { kind: "end" } : { kind: "data", bytes: asBytes(result.value) };
    } catch (error) {
      return { kind: "failed", error };
    }
  };
  return { kind: "pull", length, read, cancel: () => void reader.cancel().catch(() => {}) };
}
