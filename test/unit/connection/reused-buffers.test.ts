/**
 * Issue 24's memory bounds without garbage: a request body read into the reader's own buffer
 * (RequestBody.read(into), as PUT does), and a pulled response body that refills one buffer
 * (PullBody.reusesPieces, as archives do), which the connection must have flushed before it
 * asks for the next piece.
 */
import { describe, expect, it } from "vitest";
import type { Handler, RequestContext } from "../../../src/app.ts";
import type { PullBody, PullRead } from "../../../src/http/response.ts";
import { connect, drainUntil, flush, get, pattern, sameBytes, serve } from "../../support/connection-harness.ts";
import { parseResponses } from "../../support/http-response-parser.ts";

const KIB = 1024;

describe("RequestBody.read(into)", () => {
  it("copies each piece into the reader's buffer, never more than it holds, the body whole", async () => {
    const sent = pattern(40 * KIB + 3);
    const into = new Uint8Array(4 * KIB);
    const pieces: Uint8Array[] = [];
    let views = 0;
    const handle: Handler = async (_head, context: RequestContext) => {
      for (;;) {
        const read = await context.body!.read(into);
        if (read.kind !== "data") break;
        if (read.bytes.buffer === into.buffer) views++;
        pieces.push(read.bytes.slice());
      }
      return { status: 204, headers: [], body: null };
    };
    const { accept } = serve({ readsBodies: true, handle: () => handle });
    const conn = accept();
    conn.receive(`PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: ${sent.length}\r\n\r\n`);
    for (let at = 0; at < sent.length; at += 10 * KIB) {
      conn.receive(sent.subarray(at, at + 10 * KIB));
      await flush();
    }
    await flush();
    expect(parseResponses(conn.bytes()).map((r) => r.status)).toEqual([204]);
    expect(pieces.every((p) => p.length > 0 && p.length <= into.length)).toBe(true);
    expect(views).toBe(pieces.length);
    expect(sameBytes(Buffer.concat(pieces), sent)).toBe(true);
  });
});

describe("PullBody.reusesPieces", () => {
  it("the next piece is asked for only once the socket flushed the last: nothing is overwritten in flight", async () => {
    const whole = pattern(300 * KIB + 11);
    const buffer = new Uint8Array(16 * KIB);
    let at = 0;
    const body: PullBody = {
      kind: "pull",
      length: null,
      reusesPieces: true,
      read: (): Promise<PullRead> => {
        if (at >= whole.length) return Promise.resolve({ kind: "end" });
        const n = Math.min(buffer.length, whole.length - at);
        buffer.set(whole.subarray(at, at + n));
        at += n;
        return Promise.resolve({ kind: "data", bytes: buffer.subarray(0, n) });
      },
      cancel: () => {},
    };
    const { conn } = connect({ highWaterMark: 1024 * KIB, handle: () => () => ({ status: 200, headers: [], body }) });
    conn.receive(get("/archive"));
    await drainUntil(conn, () => parseResponses(conn.bytes())[0]?.complete === true);
    // The last drain compares what the socket still held with what it was given.
    conn.drain();
    expect(sameBytes(parseResponses(conn.bytes())[0]!.body, whole)).toBe(true);
    expect(conn.reusedBeforeFlush).toBe(0);
  });
});
