/** The /time event stream through a connection: chunked framing, ticks on the second, clean ends. */
import { describe, expect, it } from "vitest";
import { bareConnection, connect, flush, get, T0 } from "../../support/connection-harness.ts";
import { latin1Text } from "../../support/fake-ports.ts";
import { parseResponses } from "../../support/http-response-parser.ts";

const EVENTS = "Accept: text/event-stream\r\n";

/** The data lines sent so far, parsed. */
function events(text: string): Array<Record<string, unknown>> {
  return [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}

describe("GET /time with Accept: text/event-stream", () => {
  it("sends a chunked stream: retry, an event at once, then one on each second", () => {
    const { conn, clock } = connect();
    clock.time = T0 + 250;
    conn.receive(get("/time?tz=UTC", EVENTS));
    const head = latin1Text(conn.bytes());
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toContain("\r\nContent-Type: text/event-stream; charset=utf-8\r\n");
    expect(head).toContain("\r\nTransfer-Encoding: chunked\r\n");
    expect(head).not.toContain("Content-Length");
    expect(events(head)).toHaveLength(1);
    clock.advance(750);
    clock.advance(1000);
    const text = latin1Text(conn.bytes());
    const sent = events(text);
    expect(sent.map((e) => e.unixtime_ms)).toEqual([T0 + 250, T0 + 1000, T0 + 2000]);
    expect(sent.every((e) => e.received_ms === T0 + 250 && e.timezone === "UTC")).toBe(true);
    // Each piece is one chunk: hex size, CRLF, data, CRLF; the stream goes on.
    const [response] = parseResponses(conn.bytes());
    expect([response!.framing, response!.complete]).toEqual(["chunked", false]);
    expect(latin1Text(response!.chunks[0]!)).toBe("retry: 1000\n\n");
    expect(response!.chunks.slice(1).map((c) => events(latin1Text(c)).length)).toEqual([1, 1, 1]);
    expect(conn.ended).toBe(false);
  });

  it("the client leaving stops the ticking (no timer left behind)", async () => {
    const { conn, clock, closedCalls } = bareConnection();
    conn.receive(get("/time", EVENTS));
    expect(clock.pendingTimers).toBeGreaterThan(0);
    conn.peerClose();
    await flush();
    expect(closedCalls()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it("server shutdown ends the stream cleanly: the last chunk, then the connection closes", async () => {
    const { conn, clock, shutdown } = connect();
    conn.receive(get("/time", EVENTS));
    const { closed } = await shutdown();
    const text = latin1Text(conn.bytes());
    expect(text.endsWith("\r\n0\r\n\r\n")).toBe(true);
    expect(parseResponses(conn.bytes())[0]!.complete).toBe(true);
    expect(conn.ended).toBe(true);
    await flush();
    expect(clock.pendingTimers).toBe(1); // none of the connection's: only the server's wait for it to go
    clock.advance(50); // the server's next look at its connections: none left
    await closed;
    expect(clock.pendingTimers).toBe(0);
  });

  it("HTTP/1.0: no chunking, the body runs to the close", () => {
    const { conn } = connect();
    conn.receive("GET /time HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n");
    const text = latin1Text(conn.bytes());
    expect(text).not.toContain("Transfer-Encoding");
    expect(text).toContain("\r\nConnection: close\r\n");
    expect(text).toContain("\r\n\r\nretry: 1000\n\n");
  });

  it("HEAD: the head only, and nothing ticks", () => {
    const { conn, clock } = connect();
    conn.receive(get("/time", EVENTS, "HEAD"));
    const text = latin1Text(conn.bytes());
    expect(text.endsWith("\r\n\r\n")).toBe(true);
    expect(text).not.toContain("data:");
    expect(clock.pendingTimers).toBeLessThanOrEqual(1); // the idle timer only
  });
});

describe("event streams and shutdown, Accept and ?tz edge cases", () => {
  it("a stream asked for after shutdown began gets one event and a clean end at once", async () => {
    // Its head was still arriving when the shutdown began: not idle, so answered, then closed.
    const { conn, clock, shutdown } = connect();
    conn.receive("GET /time HTTP/1.1\r\n");
    const { closed } = await shutdown();
    conn.receive(`Host: test\r\n${EVENTS}\r\n`);
    const text = latin1Text(conn.bytes());
    expect(events(text)).toHaveLength(1);
    expect(text.endsWith("\r\n0\r\n\r\n")).toBe(true);
    expect(conn.ended).toBe(true);
    await flush();
    expect(clock.pendingTimers).toBe(1); // none of the connection's: only the server's wait for it to go
    clock.advance(50); // the server's next look at its connections: none left
    await closed;
    expect(clock.pendingTimers).toBe(0);
  });

  it("text/event-stream with q=0 is not a stream; an empty ?tz= is the server's zone", () => {
    const { conn, clock } = connect();
    clock.zone = "Europe/Berlin";
    conn.receive(get("/time?tz=", "Accept: text/event-stream;q=0, application/json\r\n"));
    const text = latin1Text(conn.bytes());
    expect(text).toContain("Content-Type: application/json; charset=utf-8");
    expect(text).toContain('"timezone":"Europe/Berlin"');
  });
});
