import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogBatcher } from "../../../src/access-log/batcher.ts";
import { FakeClock } from "../../support/fake-ports.ts";

function setup(
  options?: { maxDelayMs?: number; maxBytes?: number },
): { clock: FakeClock; writes: string[]; batcher: LogBatcher } {
  const clock = new FakeClock(1_000);
  const writes: string[] = [];
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const batcher = new LogBatcher((bytes) => writes.push(decoder.decode(bytes)), clock, options);
  return { clock, writes, batcher };
}

describe("LogBatcher", () => {
  it("writes the lines of a batch as one string once maxDelayMs has passed, with one timer", () => {
    const { clock, writes, batcher } = setup();
    batcher.add("a");
    batcher.add("b");
    batcher.add("c");
    expect(writes).toEqual([]);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(99);
    expect(writes).toEqual([]);
    clock.advance(1);
    expect(writes).toEqual(["a\nb\nc\n"]);
    expect(clock.pendingTimers).toBe(0);
    expect(batcher.pending).toBe(0);
  });

  it("times a batch from its first line, not its last", () => {
    const { clock, writes, batcher } = setup({ maxDelayMs: 50 });
    batcher.add("first");
    clock.advance(40);
    batcher.add("second");
    clock.advance(10);
    expect(writes).toEqual(["first\nsecond\n"]);
  });

  it("writes a batch when the next line would not fit in maxBytes, or at once when it is full", () => {
    const { clock, writes, batcher } = setup({ maxBytes: 10 });
    batcher.add("12345"); // 6 bytes with its newline
    expect(writes).toEqual([]);
    batcher.add("6789"); // 5 more would make 11: the first batch goes, this line starts the next
    expect(writes).toEqual(["12345\n"]);
    expect(clock.pendingTimers).toBe(1);
    batcher.add("abcd"); // 10: full, at once, and its timer cancelled
    expect(writes).toEqual(["12345\n", "6789\nabcd\n"]);
    expect(clock.pendingTimers).toBe(0);
    batcher.add("x".repeat(100)); // longer than maxBytes: whole, at once
    expect(writes[2]).toBe(`${"x".repeat(100)}\n`);
    expect(clock.pendingTimers).toBe(0);
  });

  it("counts bytes in UTF-8: a line of two-byte characters too long for a batch goes alone", () => {
    const { writes, batcher } = setup({ maxBytes: 8 });
    batcher.add("ab");
    batcher.add("\u00e9\u00e9\u00e9\u00e9"); // 8 bytes + newline: more than a batch
    expect(writes).toEqual(["ab\n", "\u00e9\u00e9\u00e9\u00e9\n"]);
    batcher.add("\u00e9\u00e9\u00e9"); // 7 bytes with its newline
    batcher.flush();
    expect(writes[2]).toBe("\u00e9\u00e9\u00e9\n");
  });

  it("never writes again into bytes it gave the sink (a sink may keep them, as Node's stdout queues writes to a pipe)", () => {
    const clock = new FakeClock();
    const kept: { bytes: Uint8Array; text: string }[] = [];
    const decoder = new TextDecoder();
    const batcher = new LogBatcher((bytes) => kept.push({ bytes, text: decoder.decode(bytes) }), clock, {
      maxBytes: 64,
    });
    for (let i = 0; i < 2_000; i++) {
      batcher.add(`line ${i} ${"y".repeat(i % 50)}`);
      if (i % 7 === 0) batcher.flush();
    }
    batcher.flush();
    expect(kept.length).toBeGreaterThan(100);
    for (const k of kept) expect(decoder.decode(k.bytes)).toBe(k.text);
  });

  it("flush() writes what is pending now, and nothing when nothing is", () => {
    const { clock, writes, batcher } = setup();
    batcher.flush();
    expect(writes).toEqual([]);
    batcher.add("only");
    batcher.flush();
    expect(writes).toEqual(["only\n"]);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1_000);
    batcher.flush();
    expect(writes).toEqual(["only\n"]);
  });

  it("keeps an empty line (the batch is then a newline, never an empty string)", () => {
    const { writes, batcher } = setup();
    batcher.add("");
    batcher.flush();
    expect(writes).toEqual(["\n"]);
  });

  it("starts a new batch for lines a sink adds while it writes", () => {
    const clock = new FakeClock();
    const writes: string[] = [];
    const batcher: LogBatcher = new LogBatcher((bytes) => {
      writes.push(new TextDecoder().decode(bytes));
      if (writes.length === 1) batcher.add("from the sink");
    }, clock);
    batcher.add("one");
    batcher.flush();
    expect(writes).toEqual(["one\n"]);
    expect(batcher.pending).toBe(1);
    clock.advance(100);
    expect(writes).toEqual(["one\n", "from the sink\n"]);
  });

  it("takes the defaults for options that are no finite non-negative numbers", () => {
    const { clock, writes, batcher } = setup({ maxDelayMs: Number.NaN, maxBytes: -1 });
    batcher.add("a");
    clock.advance(99);
    expect(writes).toEqual([]);
    clock.advance(1);
    expect(writes).toEqual(["a\n"]);
  });

  it("never loses, reorders or delays a line, for any sequence of adds, waits and flushes", () => {
    type Op = { kind: "add"; line: string } | { kind: "wait"; ms: number } | { kind: "flush" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.string({ maxLength: 30, unit: "binary" }).map((s) => ({ kind: "add" as const, line: s.replace(/\n/g, " ") })),
      fc.integer({ min: 0, max: 150 }).map((ms) => ({ kind: "wait" as const, ms })),
      fc.constant({ kind: "flush" as const }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 200 }),
        (ops, maxDelayMs, maxBytes) => {
          const clock = new FakeClock();
          const writes: { at: number; text: string }[] = [];
          const decoder = new TextDecoder("utf-8", { fatal: true });
          const batcher = new LogBatcher(
            (bytes) => {
              const text = decoder.decode(bytes);
              // At most maxBytes, unless the batch is one line longer than that.
              if (bytes.length > Math.max(1, maxBytes)) expect(text.indexOf("\n")).toBe(text.length - 1);
              writes.push({ at: clock.now(), text });
            },
            clock,
            { maxDelayMs, maxBytes },
          );
          const added: { at: number; line: string }[] = [];
          for (const o of ops) {
            if (o.kind === "add") {
              added.push({ at: clock.now(), line: o.line });
              batcher.add(o.line);
            } else if (o.kind === "wait") {
              clock.advance(o.ms);
            } else {
              batcher.flush();
            }
            expect(clock.pendingTimers).toBeLessThanOrEqual(1);
            expect(clock.pendingTimers).toBe(batcher.pending > 0 ? 1 : 0);
          }
          batcher.flush();
          expect(batcher.pending).toBe(0);
          expect(clock.pendingTimers).toBe(0);
          for (const w of writes) {
            expect(w.text).not.toBe("");
            expect(w.text.endsWith("\n")).toBe(true);
          }
          expect(writes.map((w) => w.text).join("")).toBe(added.map((a) => `${a.line}\n`).join(""));
          // Each line was written within maxDelayMs of its adding (the last batch by the final flush, sooner).
          let index = 0;
          for (const w of writes) {
            const count = w.text.split("\n").length - 1;
            for (const a of added.slice(index, index + count)) {
              expect(w.at - a.at).toBeLessThanOrEqual(maxDelayMs);
            }
            index += count;
          }
        },
      ),
    );
  });
});
