import type { HttpResponse, PullBody, PullRead } from "../http/response.ts";
import { statusForbidsBody } from "../http/response.ts";
import { joinPieces } from "./request-body-reading.ts";

/**
 * Fields the server frames itself (RFC 9110 §7.6.1 connection options, RFC 9112 §6): an app's
 * are not passed through. Content-Length is replaced by the length actually sent; Date and
 * Server are the server's own (RFC 9110 §6.6.1, §10.2.4).
 */
const FRAMING_FIELDS = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "content-length", "date", "server"]);

/** What a body may hand over at once, before the head is sent, to be sent with Content-Length. */
const READY_BYTES = 1024 * 1024;
/** The same, while the body's own type is being learnt (TYPE_HIDDEN): past it, none is sent. */
const READY_BYTES_TYPED = 8 * 1024 * 1024;

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
  next.then((r) => void (result = r), (e: unknown) => { failed = true; error = e; });
  // A bare await is one microtask turn, cheaper than a race against a chain of promises.
  for (let turn = 0; turn < READY_TURNS && result === null && !failed; turn++) await undefined;
  if (failed) throw error;
  return result;
}

/**
 * A fetch Response as the core's HttpResponse. What the body has ready (up to 1 MiB) is read
 * before the head is sent: a body that ends within it goes with Content-Length (string, bytes,
 * Blob, FormData, JSON bodies, and streams that finish at once); a longer or slower one is pulled
 * as the client takes it, chunked (or close-delimited for HTTP/1.0), or with the app's own
 * Content-Length when it gave one.
 */
export async function toHttpResponse(response: Response): Promise<HttpResponse> {
  const status = response.status;
  const headers: Array<readonly [string, string]> = [];
  let declared: number | null = null;
  let typed = false;
  // Iteration gives each Set-Cookie as its own field (Fetch §5.2), the others combined.
  let unbuffered = false;
  for (const [name, value] of response.headers) {
    if (!FRAMING_FIELDS.has(name)) {
      headers.push([name, value]);
      if (name === "content-type") {
        typed = true;
        unbuffered = value.startsWith("text/event-stream");
      }
    } else if (name === "content-length" && /^\d{1,15}$/.test(value)) declared = Number(value);
  }
  // An event stream passes through nginx event by event (as /time's does), unless the app said otherwise.
  if (unbuffered && !response.headers.has("x-accel-buffering")) headers.push(["x-accel-buffering", "no"]);
  const stream = response.body;
  if (stream === null) return { status, headers, body: statusForbidsBody(status) ? null : new Uint8Array(0) };
  if (statusForbidsBody(status)) {
    void stream.cancel().catch(() => {});
    return { status, headers, body: null };
  }
  // Only to learn the body's own type: its branch is read only if the body turns out ready.
  // (Cloning tees the body: read response.body again, the branch that is left for us.)
  const typeProbe = TYPE_HIDDEN && !typed ? response.clone() : null;
  const reader = (typeProbe === null ? stream : response.body!).getReader();
  const ready: Uint8Array[] = [];
  let readyBytes = 0;
  for (;;) {
    const next = reader.read();
    // Still pending after the turns, it is handed on (a rejection then is the pulled body's "failed").
    const read = await readyWithin(next);
    if (read === null) {
      void typeProbe?.body?.cancel().catch(() => {});
      return { status, headers, body: pulled(reader, ready, next, declared) };
    }
    if (read.done) {
      const type = typeProbe === null ? "" : (await typeProbe.blob()).type;
      if (type !== "") headers.unshift(["content-type", type]);
      return { status, headers, body: joinPieces(ready, readyBytes) };
    }
    const bytes = asBytes(read.value);
    ready.push(bytes);
    readyBytes += bytes.length;
    if (readyBytes > (typeProbe === null ? READY_BYTES : READY_BYTES_TYPED)) {
      void typeProbe?.body?.cancel().catch(() => {});
      return { status, headers, body: pulled(reader, ready, null, declared) };
    }
  }
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
