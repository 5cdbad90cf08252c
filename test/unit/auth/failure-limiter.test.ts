import { describe, expect, it } from "vitest";
import { FailureLimiter } from "../../../src/auth/failure-limiter.ts";

describe("FailureLimiter", () => {
  it("blocks an address after more than 10 failures in a minute, for a minute", () => {
    const limiter = new FailureLimiter();
    for (let i = 0; i < 10; i++) expect(limiter.fail("203.0.113.5", i * 1000)).toBe(false);
    expect(limiter.check("203.0.113.5", 10_000)).toEqual({ kind: "allowed" });
    expect(limiter.fail("203.0.113.5", 10_000)).toBe(true);
    expect(limiter.check("203.0.113.5", 10_000)).toEqual({ kind: "blocked", retryAfterSeconds: 60 });
    expect(limiter.check("203.0.113.5", 69_500)).toEqual({ kind: "blocked", retryAfterSeconds: 1 });
    expect(limiter.check("203.0.113.6", 10_000)).toEqual({ kind: "allowed" });
    expect(limiter.check("203.0.113.5", 70_000)).toEqual({ kind: "allowed" });
  });

  it("failures spread over more than a minute do not block", () => {
    const limiter = new FailureLimiter();
    for (let i = 0; i < 30; i++) expect(limiter.fail("198.51.100.1", i * 7_000)).toBe(false);
  });

  it("stays bounded under a flood of addresses, forgetting the oldest", () => {
    const limiter = new FailureLimiter({ maxFailures: 1, windowMs: 60_000, blockMs: 60_000, maxAddresses: 100 });
    limiter.fail("10.0.0.1", 0);
    limiter.fail("10.0.0.1", 0);
    expect(limiter.check("10.0.0.1", 1).kind).toBe("blocked");
    for (let i = 0; i < 1000; i++) limiter.fail(`10.1.${i >> 8}.${i & 255}`, 1);
    expect(limiter.size).toBe(100);
    expect(limiter.check("10.0.0.1", 1).kind).toBe("allowed");
  });
});
