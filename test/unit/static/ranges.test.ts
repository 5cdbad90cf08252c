import { describe, expect, it } from "vitest";
import { contentRange, parseRange, type RangeOutcome, unsatisfiedRange } from "../../../src/static/ranges.ts";

const ranges = (...pairs: [number, number][]): RangeOutcome => ({
  kind: "ranges",
  ranges: pairs.map(([start, end]) => ({ start, end })),
});
const IGNORE: RangeOutcome = { kind: "ignore" };
const UNSATISFIABLE: RangeOutcome = { kind: "unsatisfiable" };
const GiB = 1024 ** 3;

describe("parseRange: single ranges", () => {
  it("bytes=0-0 is the first byte", () => {
    expect(parseRange("bytes=0-0", 123)).toEqual(ranges([0, 1]));
  });
  it("a suffix range is the last N bytes, or the whole file when it is shorter", () => {
    expect(parseRange("bytes=-500", 1000)).toEqual(ranges([500, 1000]));
    expect(parseRange("bytes=-500", 100)).toEqual(ranges([0, 100]));
    expect(parseRange("bytes=-1", 100)).toEqual(ranges([99, 100]));
  });
  it("an open range runs to the end", () => {
    expect(parseRange("bytes=500-", 1000)).toEqual(ranges([500, 1000]));
    expect(parseRange("bytes=999-", 1000)).toEqual(ranges([999, 1000]));
  });
  it("clamps a last-pos beyond the end", () => {
    expect(parseRange("bytes=10-5000", 100)).toEqual(ranges([10, 100]));
    expect(parseRange("bytes=0-99999999999999999999999", 100)).toEqual(ranges([0, 100]));
  });
  it("a suffix longer than any number is the whole file", () => {
    expect(parseRange("bytes=-99999999999999999999999", 100)).toEqual(ranges([0, 100]));
  });
  it("accepts leading zeros", () => {
    expect(parseRange("bytes=007-0010", 100)).toEqual(ranges([7, 11]));
  });
  it("the unit is case-insensitive", () => {
    expect(parseRange("Bytes=0-1", 10)).toEqual(ranges([0, 2]));
    expect(parseRange("BYTES=0-1", 10)).toEqual(ranges([0, 2]));
  });
});

describe("parseRange: unsatisfiable", () => {
  it("a first-pos at or past the end", () => {
    expect(parseRange("bytes=9999999-", 1000)).toEqual(UNSATISFIABLE);
    expect(parseRange("bytes=1000-", 1000)).toEqual(UNSATISFIABLE);
    expect(parseRange("bytes=1000-2000", 1000)).toEqual(UNSATISFIABLE);
  });
  it("a first-pos too large for a number", () => {
    expect(parseRange("bytes=99999999999999999999999-", 1000)).toEqual(UNSATISFIABLE);
    expect(parseRange("bytes=99999999999999999999999-99999999999999999999999", 1000)).toEqual(UNSATISFIABLE);
  });
  it("a zero-length suffix", () => {
    expect(parseRange("bytes=-0", 1000)).toEqual(UNSATISFIABLE);
  });
  it("an empty file: int-ranges are unsatisfiable; a non-zero suffix is satisfiable but selects nothing, so ignored", () => {
    expect(parseRange("bytes=0-0", 0)).toEqual(UNSATISFIABLE);
    expect(parseRange("bytes=0-", 0)).toEqual(UNSATISFIABLE);
    expect(parseRange("bytes=-0", 0)).toEqual(UNSATISFIABLE);
    expect(parseRange("bytes=-500", 0)).toEqual({ kind: "ignore" });
    expect(parseRange("bytes=0-1,-5", 0)).toEqual({ kind: "ignore" });
  });
  it("drops unsatisfiable ranges from a set that has satisfiable ones", () => {
    expect(parseRange("bytes=5000-,0-1", 1000)).toEqual(ranges([0, 2]));
    expect(parseRange("bytes=0-1,-0,10-", 20)).toEqual(ranges([0, 2], [10, 20]));
  });
  it("formats the Content-Range of a 416", () => {
    expect(unsatisfiedRange(123)).toBe("bytes */123");
    expect(unsatisfiedRange(0)).toBe("bytes */0");
  });
});

describe("parseRange: sets", () => {
  it("keeps several ranges in the client's order", () => {
    expect(parseRange("bytes=0-10,20-30", 100)).toEqual(ranges([0, 11], [20, 31]));
    expect(parseRange("bytes=20-30,0-10", 100)).toEqual(ranges([20, 31], [0, 11]));
  });
  it("allows OWS around elements and empty elements", () => {
    expect(parseRange("bytes=0-1,,2-3", 10)).toEqual(ranges([0, 2], [2, 4]));
    expect(parseRange("bytes= 1-2", 10)).toEqual(ranges([1, 3]));
    expect(parseRange("bytes=0-1 ,\t5-6 ,", 10)).toEqual(ranges([0, 2], [5, 7]));
    expect(parseRange("bytes=,0-1", 10)).toEqual(ranges([0, 2]));
  });
  it("adjacent ranges are not overlapping", () => {
    expect(parseRange("bytes=0-4,5-9", 10)).toEqual(ranges([0, 5], [5, 10]));
  });
  it("ignores overlapping ranges", () => {
    expect(parseRange("bytes=0-10,5-20", 100)).toEqual(IGNORE);
    expect(parseRange("bytes=0-,0-", 100)).toEqual(IGNORE);
    expect(parseRange("bytes=-60,40-45", 100)).toEqual(IGNORE);
    expect(parseRange("bytes=0-0,0-0", 100)).toEqual(IGNORE);
  });
  it("ignores ranges that overlap only after clamping", () => {
    expect(parseRange("bytes=50-500,-60", 100)).toEqual(IGNORE);
  });
  it("allows 100 ranges and ignores 101", () => {
    const spec = (n: number): string => Array.from({ length: n }, (_, i) => `${i * 2}-${i * 2}`).join(",");
    const hundred = parseRange(`bytes=${spec(100)}`, 1000);
    expect(hundred.kind).toBe("ranges");
    if (hundred.kind === "ranges") expect(hundred.ranges).toHaveLength(100);
    expect(parseRange(`bytes=${spec(101)}`, 1000)).toEqual(IGNORE);
  });
  it("counts unsatisfiable ranges towards the limit", () => {
    const many = Array.from({ length: 101 }, (_, i) => `${5000 + i}-`).join(",");
    expect(parseRange(`bytes=0-0,${many}`, 1000)).toEqual(IGNORE);
  });
  it("empty elements do not count towards the limit", () => {
    expect(parseRange(`bytes=0-0${",".repeat(500)}2-2`, 10)).toEqual(ranges([0, 1], [2, 3]));
  });
});

describe("parseRange: large files", () => {
  it("works with offsets beyond 4 GiB", () => {
    const size = 5 * GiB;
    expect(parseRange(`bytes=${4 * GiB}-${4 * GiB + 9}`, size)).toEqual(ranges([4 * GiB, 4 * GiB + 10]));
    expect(parseRange("bytes=-10", size)).toEqual(ranges([size - 10, size]));
    expect(parseRange(`bytes=${size - 1}-`, size)).toEqual(ranges([size - 1, size]));
    expect(parseRange(`bytes=${size}-`, size)).toEqual(UNSATISFIABLE);
    expect(parseRange(`bytes=0-0,${4.5 * GiB}-`, size)).toEqual(ranges([0, 1], [4.5 * GiB, size]));
  });
  it("formats large Content-Range values", () => {
    expect(contentRange({ start: 4 * GiB, end: 5 * GiB }, 5 * GiB)).toBe("bytes 4294967296-5368709119/5368709120");
  });
});

describe("parseRange: ignored headers", () => {
  it.each([
    "bytes=a-b",
    "bytes=5-1",
    "bytes=0-1,5-1",
    "items=0-1",
    "bytes",
    "bytes=",
    "bytes=,",
    "bytes=-",
    "bytes=--1",
    "bytes=1",
    "bytes=1-2-3",
    "bytes=+1-2",
    "bytes=1-+2",
    "bytes=-+5",
    "bytes=1 -2",
    "bytes=1- 2",
    "bytes=0x1-2",
    "bytes=1.5-2",
    "bytes =0-1",
    "bytes= =0-1",
    "bytes=0-1;2-3",
    "=0-1",
    "",
    "bytes=0-1,a",
    "bytes=99999999999999999999999-1",
  ])("%j", (header) => {
    expect(parseRange(header, 1000)).toEqual(IGNORE);
  });
  it("an invalid element spoils an otherwise unsatisfiable set", () => {
    expect(parseRange("bytes=5000-,x", 1000)).toEqual(IGNORE);
  });
});

describe("contentRange", () => {
  it("gives inclusive first and last positions", () => {
    expect(contentRange({ start: 0, end: 1 }, 123)).toBe("bytes 0-0/123");
    expect(contentRange({ start: 500, end: 1000 }, 1000)).toBe("bytes 500-999/1000");
  });
});
