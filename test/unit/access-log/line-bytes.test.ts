import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogBatcher } from "../../../src/access-log/batcher.ts";
import { accessLine } from "../../../src/access-log/format.ts";
import { clfLineBound, writeClfLine } from "../../../src/access-log/line-bytes.ts";
import { LogTime } from "../../../src/access-log/log-time.ts";
import type { AccessRecord } from "../../../src/access-log/record.ts";
import { FakeClock } from "../../support/fake-ports.ts";

/** Any UTF-16 string, lone surrogates and astral pairs included. */
const anyString = fc.string({
  unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constant("\u{1f600}")),
  maxLength: 30,
});
const record: fc.Arbitrary<AccessRecord> = fc.record({
  client: fc.oneof(fc.constant(""), fc.constant("203.0.113.7"), anyString),
  startedMs: fc.integer({ min: -8.6e15, max: 8.6e15 }),
  method: fc.oneof(fc.constant(""), fc.constant("GET"), anyString),
  target: anyString,
  version: fc.constantFrom("1.0" as const, "1.1" as const, "2.0" as const),
  status: fc.integer({ min: 100, max: 999 }),
  bodyBytes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  referer: fc.option(anyString),
  userAgent: fc.option(anyString),
  durationMs: fc.double(),
  requestId: fc.string(),
  connectionRequests: fc.nat(),
  host: fc.option(fc.string()),
  scheme: fc.constantFrom("http", "https"),
});

function written(r: AccessRecord, time: LogTime, combined: boolean): Uint8Array {
  const bound = clfLineBound(r);
  const out = { bytes: new Uint8Array(bound + 8).fill(0xee), at: 0 };
  writeClfLine(out, r, time, combined);
  expect(out.at).toBeLessThanOrEqual(bound);
  return out.bytes.subarray(0, out.at);
}

describe("writeClfLine: common and combined lines written as bytes", () => {
  it("writes exactly the UTF-8 of accessLine, within clfLineBound, for any record", () => {
    const zones = [new LogTime("UTC"), new LogTime("Asia/Kolkata"), new LogTime("America/St_Johns")];
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(record, fc.constantFrom(0, 1, 2), fc.boolean(), (r, zone, combined) => {
        const time = zones[zone]!;
        const expected = encoder.encode(accessLine(combined ? "combined" : "common", r, time));
        expect(Buffer.from(written(r, time, combined)).toString("latin1")).toBe(
          Buffer.from(expected).toString("latin1"),
        );
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("LogBatcher.begin/commit: lines written in place", () => {
  it("mixes in-place and string lines in order, and a bound beyond a batch says to use add()", () => {
    const clock = new FakeClock();
    const writes: string[] = [];
    const batcher = new LogBatcher((bytes) => writes.push(new TextDecoder().decode(bytes)), clock, { maxBytes: 32 });
    const put = (text: string): void => {
      const out = batcher.begin(text.length);
      expect(out).not.toBeNull();
      for (let i = 0; i < text.length; i++) out!.bytes[out!.at++] = text.charCodeAt(i);
      batcher.commit();
    };
    put("first");
    batcher.add("second");
    put("third");
    expect(batcher.pending).toBe(3);
    expect(batcher.begin(32)).toBeNull(); // 32 and its newline: more than a batch
    put("x".repeat(20)); // does not fit after the three (19 bytes): they go first
    expect(writes).toEqual(["first\nsecond\nthird\n"]);
    batcher.flush();
    expect(writes[1]).toBe(`${"x".repeat(20)}\n`);
    expect(clock.pendingTimers).toBe(0);
  });
});
