import { describe, expect, it } from "vitest";
import {
  bareConnection,
  connect,
  drainUntil,
  flush,
  get,
  pattern,
  sameBytes,
} from "../../support/connection-harness.ts";
import { header, parseResponses } from "../../support/http-response-parser.ts";
import { FakeFileSystem } from "../../support/fake-file-system.ts";
import { latin1Text } from "../../support/fake-ports.ts";

const KIB = 1024;
const BIG = pattern(200 * KIB);
const FILES = { "/srv/a.txt": "alpha\n", "/srv/big.bin": BIG, "/srv/c.txt": "gamma\n" };

describe("HttpConnection: pipelining and large files", () => {
  it("answers three pipelined requests strictly in order, the large body only after drains", async () => {
    const { conn, fs } = connect({ files: FILES, highWaterMark: 32 * KIB });
    conn.receive(get("/a.txt") + get("/big.bin") + get("/c.txt"));
    await flush();
    // a.txt in one write; big.bin's head, then chunks until write() said false.
    expect(conn.writes.length).toBeGreaterThanOrEqual(3);
    expect(latin1Text(conn.writes[0]!).endsWith("\r\n\r\nalpha\n")).toBe(true);
    expect(latin1Text(conn.writes[1]!)).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 204800\r\n\r\n$/);
    expect(conn.queued).toBeGreaterThan(32 * KIB);
    expect(conn.text()).not.toContain("gamma");
    expect(fs.openReaders).toBe(1);

    const stalled = conn.writes.length;
    await flush();
    expect(conn.writes.length).toBe(stalled); // nothing more without a drain

    const drains = await drainUntil(conn, () => conn.text().includes("gamma"));
    // 13 chunks of 16 KiB, at most three per drain once the queue is empty.
    expect(drains).toBeGreaterThanOrEqual(4);
    const responses = parseResponses(conn.bytes());
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(latin1Text(responses[0]!.body)).toBe("alpha\n");
    expect(sameBytes(responses[1]!.body, BIG)).toBe(true);
    expect(latin1Text(responses[2]!.body)).toBe("gamma\n");
    expect(header(responses[2]!, "Content-Type")).toBe("text/plain; charset=utf-8");
    expect(conn.writes.every((w) => w.length <= 64 * KIB + 512)).toBe(true);
    expect(conn.reusedBeforeFlush).toBe(0);
    expect(fs.openReaders).toBe(0);
    expect(conn.ended).toBe(false);
  });

  it("a file of exactly 64 KiB still leaves in one write; one byte more streams", async () => {
    const files = { "/srv/edge.bin": pattern(64 * KIB), "/srv/over.bin": pattern(64 * KIB + 1) };
    const { conn } = connect({ files, highWaterMark: 1024 * KIB });
    conn.receive(get("/edge.bin"));
    await flush();
    expect(conn.writes).toHaveLength(1);
    conn.receive(get("/over.bin"));
    await drainUntil(conn, () => parseResponses(conn.bytes())[1]?.complete === true);
    expect(conn.writes.length).toBeGreaterThan(2);
    const responses = parseResponses(conn.bytes());
    expect(sameBytes(responses[0]!.body, pattern(64 * KIB))).toBe(true);
    expect(sameBytes(responses[1]!.body, pattern(64 * KIB + 1))).toBe(true);
  });

  it("a large file that shrank: the head went out, so the connection is destroyed", async () => {
    const fs = new FakeFileSystem(FILES);
    const { conn } = connect({
      fs,
      handle: () => () => ({
        status: 200,
        headers: [],
        body: { kind: "file", open: () => fs.open("/srv/big.bin"), start: 0, end: BIG.length + 1 },
      }),
    });
    conn.receive(get("/big.bin"));
    await drainUntil(conn, () => conn.destroyed);
    expect(conn.destroyed).toBe(true);
    expect(parseResponses(conn.bytes())[0]!.complete).toBe(false);
    expect(fs.openReaders).toBe(0);
  });
});

describe("HttpConnection: memory while streaming", () => {
  it("keeps at most two chunks in flight for a client that does not read, and reuses them only once flushed", async () => {
    const big = pattern(3 * 1024 * KIB + 7);
    const fs = new FakeFileSystem({ "/srv/huge.bin": big }, 1024 * KIB);
    const { conn } = connect({ fs, highWaterMark: 16 * KIB });
    conn.receive(get("/huge.bin"));
    await flush();
    await flush();
    // the head, then two chunks; nothing more until the socket flushes them
    expect(conn.writes).toHaveLength(3);
    expect(conn.writes.slice(1).every((w) => w.length === 256 * KIB)).toBe(true);
    await drainUntil(conn, () => parseResponses(conn.bytes())[0]?.complete === true);
    expect(sameBytes(parseResponses(conn.bytes())[0]!.body, big)).toBe(true);
    expect(conn.reusedBeforeFlush).toBe(0);
    expect(fs.openReaders).toBe(0);
  });
});

describe("HttpConnection: a peer that goes away", () => {
  it("mid-stream (waiting for drain): the reader is released and nothing more is written", async () => {
    const { conn, fs, clock, closedCalls } = bareConnection({ files: FILES, highWaterMark: 32 * KIB });
    conn.receive(get("/big.bin") + get("/c.txt"));
    await flush();
    expect(fs.openReaders).toBe(1);
    const written = conn.writes.length;
    conn.peerClose();
    await flush();
    expect(fs.openReaders).toBe(0);
    expect(conn.writes.length).toBe(written);
    expect(conn.writesAfterClose).toBe(0);
    conn.drain();
    await flush();
    expect(conn.writes.length).toBe(written);
    expect(closedCalls()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it("while a large file's first chunk is being read: released, nothing after the head", async () => {
    const { conn, fs } = connect({ files: FILES, highWaterMark: 32 * KIB });
    const release = fs.holdReads();
    conn.receive(get("/big.bin"));
    await flush();
    expect(conn.writes).toHaveLength(1); // the head
    conn.peerClose();
    release();
    await flush();
    expect(fs.openReaders).toBe(0);
    expect(conn.writes).toHaveLength(1);
    expect(conn.writesAfterClose).toBe(0);
  });

  it("while the handler looks the file up: nothing is written and no file is read", async () => {
    const { conn, fs } = connect({ files: FILES });
    conn.receive(get("/a.txt"));
    conn.peerClose();
    await flush();
    expect(conn.writes).toHaveLength(0);
    expect(fs.readsStarted).toBe(0);
  });

  it("while a small file is being read: nothing is written after the close", async () => {
    const { conn, fs } = connect({ files: FILES });
    const release = fs.holdReads();
    conn.receive(get("/a.txt"));
    await flush();
    expect(fs.openReaders).toBe(1);
    conn.peerClose();
    release();
    await flush();
    expect(fs.openReaders).toBe(0);
    expect(conn.writesAfterClose).toBe(0);
  });
});

describe("HttpConnection: input backpressure", () => {
  const timeRequest = get("/time");

  it("pauses input past 64 KiB buffered during a slow response, resumes once it is processed", async () => {
    const { conn, fs } = connect({ files: FILES, highWaterMark: 32 * KIB });
    conn.receive(get("/big.bin"));
    await flush();
    expect(fs.openReaders).toBe(1);
    const count = Math.ceil((64 * KIB) / timeRequest.length);
    conn.receive(timeRequest.repeat(count - 1));
    expect(conn.pauseCalls).toBe(0);
    conn.receive(timeRequest.repeat(2)); // now over 64 KiB
    expect(conn.pauseCalls).toBe(1);
    expect(conn.paused).toBe(true);
    conn.receive(timeRequest.repeat(3)); // held by the paused socket
    expect(conn.heldBytes).toBe(3 * timeRequest.length);

    await drainUntil(conn, () => !conn.paused);
    expect(conn.resumeCalls).toBe(1);
    await flush();
    const responses = parseResponses(conn.bytes());
    expect(responses).toHaveLength(1 + count + 1 + 3);
    expect(sameBytes(responses[0]!.body, BIG)).toBe(true);
    expect(responses.slice(1).every((r) => r.status === 200 && r.complete)).toBe(true);
    expect(conn.heldBytes).toBe(0);
    expect(conn.pauseCalls).toBe(1);
    expect(conn.ended).toBe(false);
  });

  it("does not pause while idle, whatever arrives", () => {
    const { conn } = connect();
    conn.receive(timeRequest.repeat(Math.ceil((128 * KIB) / timeRequest.length)));
    expect(conn.pauseCalls).toBe(0);
  });

  // A peer that pipelines without reading must not make the server queue output without bound.
  it("stops answering pipelined requests while the output is over the high-water mark", () => {
    const { conn } = connect({ highWaterMark: 16 * KIB });
    conn.receive(timeRequest.repeat(500));
    expect(conn.queued).toBeLessThanOrEqual(16 * KIB + 1024);
  });
});
