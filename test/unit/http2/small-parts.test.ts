import { describe, expect, it } from "vitest";
import { ClosedStreams } from "../../../src/http2/closed-streams.ts";
import { DEFAULT_HTTP2_OPTIONS, http2Options } from "../../../src/http2/limits.ts";
import { RateBucket } from "../../../src/http2/rate-bucket.ts";
import { afterLocalEnd, afterRemoteEnd, localOpen, openedState, remoteOpen } from "../../../src/http2/stream-state.ts";
import { FakeClock } from "../../support/fake-ports.ts";

describe("RateBucket", () => {
  it("allows a burst, then refills at its rate up to the burst", () => {
    const clock = new FakeClock(0);
    const bucket = new RateBucket(clock, 5, 2);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    clock.advance(500);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    clock.advance(60_000);
    expect(bucket.left).toBe(5);
  });
});

describe("ClosedStreams", () => {
  it("tells idle, reset, closed and never-used identifiers apart", () => {
    const closed = new ClosedStreams(4);
    closed.note(1, "closed");
    closed.note(3, "reset-by-us");
    expect(closed.classify(1, 7)).toBe("closed");
    expect(closed.classify(3, 7)).toBe("reset-by-us");
    expect(closed.classify(5, 7)).toBe("never-used");
    expect(closed.classify(9, 7)).toBe("idle");
  });

  it("forgets the oldest past its capacity", () => {
    const closed = new ClosedStreams(2);
    closed.note(1, "closed");
    closed.note(3, "closed");
    closed.note(5, "reset-by-us");
    expect(closed.classify(1, 5)).toBe("never-used");
    expect(closed.classify(3, 5)).toBe("closed");
    expect(closed.classify(5, 5)).toBe("reset-by-us");
  });
});

describe("stream states (§5.1)", () => {
  it("goes open -> half-closed -> closed from either side", () => {
    expect(openedState(false)).toBe("open");
    expect(openedState(true)).toBe("half-closed-remote");
    expect(afterRemoteEnd("open")).toBe("half-closed-remote");
    expect(afterLocalEnd("open")).toBe("half-closed-local");
    expect(afterLocalEnd("half-closed-remote")).toBe("closed");
    expect(afterRemoteEnd("half-closed-local")).toBe("closed");
    expect(remoteOpen("half-closed-local")).toBe(true);
    expect(remoteOpen("half-closed-remote")).toBe(false);
    expect(localOpen("half-closed-remote")).toBe(true);
    expect(localOpen("half-closed-local")).toBe(false);
  });
});

describe("http2Options", () => {
  it("derives the queue and per-read bounds from the concurrency limit", () => {
    expect(http2Options()).toEqual(DEFAULT_HTTP2_OPTIONS);
    const options = http2Options({ maxConcurrentStreams: 10 });
    expect(options.maxQueuedRequests).toBe(40);
    expect(options.maxNewStreamsPerRead).toBe(20);
    expect(http2Options({ maxConcurrentStreams: 10, maxQueuedRequests: 3 }).maxQueuedRequests).toBe(3);
  });
});

describe("http2Options windows", () => {
  it("keeps windows at 65,535 or more", () => {
    const options = http2Options({ initialWindowSize: 1000, connectionWindowSize: 10 });
    expect(options.initialWindowSize).toBe(65535);
    expect(options.connectionWindowSize).toBe(65535);
  });
});
