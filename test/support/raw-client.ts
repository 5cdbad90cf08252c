import * as net from "node:net";

export interface RawResult {
  /** Everything the server sent. */
  readonly data: Buffer;
  /** The server closed the connection (or reset it) before the wait ended. */
  readonly closed: boolean;
}

export interface RawOptions {
  /** Give up waiting after this long (the connection is then destroyed). */
  readonly timeoutMs?: number;
  /** Stop as soon as this says the data is complete. */
  readonly until?: (data: Buffer) => boolean;
  /** Send the request in pieces of this many bytes, one write each, with a pause between. */
  readonly pieceSize?: number;
  /** Half-close after writing (the way `nc -N` does). */
  readonly endAfterWrite?: boolean;
}

/**
 * Sends raw bytes on a fresh TCP connection and collects the reply. URL clients normalise
 * paths ("..", "%2e"), so every malformed or traversal request in the tests goes through here.
 */
export function rawExchange(port: number, request: string | Uint8Array, options: RawOptions = {}): Promise<RawResult> {
  const bytes = typeof request === "string" ? Buffer.from(request, "latin1") : Buffer.from(request);
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 5000);
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      if (options.until?.(Buffer.concat(chunks))) finish(false);
    });
    socket.on("connect", async () => {
      const size = options.pieceSize ?? bytes.length;
      for (let i = 0; i < bytes.length; i += size) {
        if (settled) return;
        socket.write(bytes.subarray(i, i + size));
        if (size < bytes.length) await new Promise((r) => setTimeout(r, 2));
      }
      if (options.endAfterWrite) socket.end();
    });
  });
}

export interface ParsedResponse {
  readonly status: number;
  readonly headers: Map<string, string>;
  readonly body: Buffer;
}

/**
 * Splits a byte stream into HTTP/1.1 responses framed by Content-Length. `bodyless[i]` marks
 * responses with no body whatever Content-Length says (answers to HEAD, 1xx, 204, 304).
 */
export function parseResponses(data: Buffer, bodyless: readonly boolean[] = []): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let at = 0;
  while (at < data.length) {
    const headEnd = data.indexOf("\r\n\r\n", at, "latin1");
    if (headEnd < 0) break;
    const lines = data.subarray(at, headEnd).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? "NaN");
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    const noBody = bodyless[out.length] === true || status < 200 || status === 204 || status === 304;
    const length = noBody ? 0 : Number(headers.get("content-length") ?? "0");
    const bodyStart = headEnd + 4;
    out.push({ status, headers, body: data.subarray(bodyStart, bodyStart + length) });
    at = bodyStart + length;
  }
  return out;
}

/** True once `data` holds `count` complete Content-Length-framed responses. */
export function hasResponses(count: number, bodyless: readonly boolean[] = []): (data: Buffer) => boolean {
  return (data) => {
    const responses = parseResponses(data, bodyless);
    if (responses.length < count) return false;
    const last = responses[count - 1]!;
    const expected = bodyless[count - 1] ? 0 : Number(last.headers.get("content-length") ?? "0");
    return last.body.length === expected;
  };
}
