import { describe, expect, it } from "vitest";
import {
  type ContinuationFrame,
  FLAG,
  FRAME_TYPE,
  type HeadersFrame,
  type PushPromiseFrame,
} from "../../../src/http2/frame.ts";
import { FrameReader } from "../../../src/http2/frame-reader.ts";
import { HeaderBlockAssembler, type HeaderBlockOutcome } from "../../../src/http2/header-block.ts";
import { rawFrame } from "./reading.ts";

const headers = (fragment: number[] | Uint8Array, endHeaders: boolean, streamId = 1): HeadersFrame => ({
  type: "HEADERS",
  streamId,
  flags: endHeaders ? FLAG.END_HEADERS : 0,
  endStream: false,
  endHeaders,
  priority: null,
  fragment: Uint8Array.from(fragment),
});
const continuation = (fragment: number[] | Uint8Array, endHeaders: boolean, streamId = 1): ContinuationFrame => ({
  type: "CONTINUATION",
  streamId,
  flags: endHeaders ? FLAG.END_HEADERS : 0,
  endHeaders,
  fragment: Uint8Array.from(fragment),
});

describe("HeaderBlockAssembler (RFC 9113 §4.3, §6.10)", () => {
  it("gives a block in one HEADERS as is, a view of its fragment", () => {
    const frame = headers([0x82, 0x86], true);
    const outcome = new HeaderBlockAssembler().take(frame);
    expect(outcome).toEqual({
      kind: "header-block",
      start: { type: "HEADERS", streamId: 1, flags: 4, endStream: false, endHeaders: true, priority: null },
      block: Uint8Array.of(0x82, 0x86),
    });
    expect(outcome.kind === "header-block" && outcome.block).toBe(frame.fragment);
  });

  it("joins HEADERS and CONTINUATION fragments, each copied as it comes", () => {
    const assembler = new HeaderBlockAssembler();
    const first = headers([1, 2], false);
    expect(assembler.take(first)).toEqual({ kind: "pending" });
    first.fragment.fill(0); // the piece it came in is gone: the assembler kept a copy
    expect(assembler.take(continuation([3], false))).toEqual({ kind: "pending" });
    const outcome = assembler.take(continuation([4, 5], true));
    expect(outcome.kind === "header-block" && [...outcome.block]).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps a PUSH_PROMISE's promised stream with its block", () => {
    const promise: PushPromiseFrame = {
      type: "PUSH_PROMISE",
      streamId: 1,
      flags: 0,
      endHeaders: false,
      promisedStreamId: 2,
      fragment: Uint8Array.of(9),
    };
    const assembler = new HeaderBlockAssembler();
    assembler.take(promise);
    const outcome = assembler.take(continuation([8], true));
    expect(outcome).toMatchObject({ kind: "header-block", start: { type: "PUSH_PROMISE", promisedStreamId: 2 } });
  });

  it("takes 8 CONTINUATION frames and refuses the 9th at once, END_HEADERS or not", () => {
    const assembler = new HeaderBlockAssembler();
    assembler.take(headers([0], false));
    for (let i = 0; i < 7; i++) expect(assembler.take(continuation([i], false)).kind).toBe("pending");
    expect(assembler.take(continuation([7], false)).kind).toBe("pending");
    expect(assembler.take(continuation([8], true))).toMatchObject({ kind: "header-block-too-large", streamId: 1 });

    const eight = new HeaderBlockAssembler();
    eight.take(headers([0], false));
    for (let i = 0; i < 7; i++) eight.take(continuation([i], false));
    expect(eight.take(continuation([7], true)).kind).toBe("header-block");
  });

  it("takes a block of exactly 64 KiB and refuses one byte more, at the frame that crosses", () => {
    const take = (sizes: number[]): HeaderBlockOutcome[] => {
      const assembler = new HeaderBlockAssembler();
      return sizes.map((n, i) =>
        i === 0
          ? assembler.take(headers(new Uint8Array(n), false))
          : assembler.take(continuation(new Uint8Array(n), i === sizes.length - 1))
      );
    };
    expect(take([16384, 16384, 16384, 16384]).at(-1)?.kind).toBe("header-block");
    expect(take([16384, 16384, 16384, 16385]).map((o) => o.kind)).toEqual([
      "pending",
      "pending",
      "pending",
      "header-block-too-large",
    ]);
    expect(new HeaderBlockAssembler().take(headers(new Uint8Array(65537), true)).kind).toBe("header-block-too-large");
  });

  it("never holds more than its limit", () => {
    const assembler = new HeaderBlockAssembler({ maxContinuations: 100, maxBytes: 5000 });
    const held = () => (assembler as unknown as { buffer: Uint8Array }).buffer.length;
    assembler.take(headers(new Uint8Array(1000), false));
    for (let i = 0; i < 3; i++) {
      assembler.take(continuation(new Uint8Array(1000), false));
      expect(held()).toBeLessThanOrEqual(5000);
    }
    expect(assembler.take(continuation(new Uint8Array(1001), false)).kind).toBe("header-block-too-large");
    expect(held()).toBe(0);
  });

  it("starts afresh after a block, and after a refusal", () => {
    const assembler = new HeaderBlockAssembler({ maxContinuations: 1, maxBytes: 10 });
    assembler.take(headers([1], false));
    expect(assembler.take(continuation([2], true)).kind).toBe("header-block");
    assembler.take(headers([1], false, 3));
    assembler.take(continuation([2], false, 3));
    expect(assembler.take(continuation([3], true, 3)).kind).toBe("header-block-too-large");
    assembler.take(headers([1], false, 5));
    const outcome = assembler.take(continuation([2], true, 5));
    expect(outcome.kind === "header-block" && [outcome.start.streamId, ...outcome.block]).toEqual([5, 1, 2]);
  });

  it("refuses frames out of sequence with PROTOCOL_ERROR", () => {
    expect(new HeaderBlockAssembler().take(continuation([1], true))).toMatchObject({
      kind: "connection-error",
      code: "PROTOCOL_ERROR",
    });
    const open = new HeaderBlockAssembler();
    open.take(headers([1], false));
    expect(open.take(continuation([1], true, 3)).kind).toBe("connection-error");
    const again = new HeaderBlockAssembler();
    again.take(headers([1], false));
    expect(again.take(headers([1], true)).kind).toBe("connection-error");
  });

  it("with the reader, ends an endless CONTINUATION stream at the 9th frame (CVE-2024-27316)", () => {
    const assembler = new HeaderBlockAssembler();
    const outcomes: string[] = [];
    const reader = new FrameReader((event) => {
      if (!("type" in event)) return null;
      if (event.type !== "HEADERS" && event.type !== "CONTINUATION") return null;
      const outcome = assembler.take(event);
      outcomes.push(outcome.kind);
      return outcome.kind === "header-block-too-large"
        ? { kind: "connection-error", code: "ENHANCE_YOUR_CALM", reason: "" }
        : null;
    });
    expect(reader.feed(rawFrame(FRAME_TYPE.HEADERS, 0, 1, [0x82]))).toBeNull();
    let error = null;
    for (let i = 0; i < 1000 && error === null; i++) {
      error = reader.feed(rawFrame(FRAME_TYPE.CONTINUATION, 0, 1, [0x82]));
    }
    expect(error?.code).toBe("ENHANCE_YOUR_CALM");
    expect(outcomes).toHaveLength(10);
  });
});
