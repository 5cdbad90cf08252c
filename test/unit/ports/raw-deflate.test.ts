/**
 * The node:zlib raw deflate streams behind permessage-deflate (runtime-adapters/shared-node/
 * raw-deflate.ts), on Node; Deno's and Bun's node:zlib run them in the e2e conformance part.
 */
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { nodeRawDeflate, nodeRawInflate } from "../../../runtime-adapters/shared-node/raw-deflate.ts";
import { concat } from "../../support/byte-pieces.ts";

const TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);
const encoder = new TextEncoder();

describe("raw deflate and inflate on node:zlib", () => {
  it("each deflate ends with a sync flush's 00 00 ff ff, and the window carries over (RFC 7692 §7.2.1)", async () => {
    const deflate = nodeRawDeflate(15);
    const message = encoder.encode("a message, a message, a message");
    const [first, second] = await Promise.all([deflate.deflate(message), deflate.deflate(message)]);
    expect(first!.subarray(-4)).toEqual(TAIL);
    expect(second!.subarray(-4)).toEqual(TAIL);
    // The second refers back to the first: shorter.
    expect(second!.length).toBeLessThan(first!.length);
    deflate.close();
  });

  it("inflates messages in order with the tail appended, the context kept (§7.2.2)", async () => {
    const deflate = nodeRawDeflate(15);
    const inflate = nodeRawInflate(15);
    for (const text of ["hello hello", "hello hello", "other"]) {
      const compressed = (await deflate.deflate(encoder.encode(text)))!;
      const pieces: Uint8Array[] = [];
      const end = await inflate.inflate(concat([compressed.subarray(0, -4), TAIL]), (p) => {
        pieces.push(p.slice());
        return true;
      });
      expect(end).toBe("done");
      expect(new TextDecoder().decode(concat(pieces))).toBe(text);
    }
  });

  it("a caller that stops gets at most one more piece: 64 MiB of zeros stop at 1 MiB + 16 KiB", async () => {
    const compressed = (await nodeRawDeflate(15).deflate(new Uint8Array(64 * 1024 * 1024)))!;
    expect(compressed.length).toBeLessThan(100_000);
    let produced = 0;
    const end = await nodeRawInflate(15).inflate(compressed, (p) => (produced += p.length) <= 1024 * 1024);
    expect(end).toBe("stopped");
    expect(produced).toBeLessThanOrEqual(1024 * 1024 + 16 * 1024);
  });

  it("a message that ends its DEFLATE stream (BFINAL, RFC 7692 §7.2.3.4): the next starts a new one", async () => {
    const inflate = nodeRawInflate(15);
    const final = new Uint8Array(zlib.deflateRawSync(Buffer.from("first")));
    const next = new Uint8Array(
      zlib.deflateRawSync(Buffer.from("second"), { finishFlush: zlib.constants.Z_SYNC_FLUSH }),
    );
    for (const [compressed, text] of [[concat([final, TAIL]), "first"], [next, "second"]] as const) {
      const pieces: Uint8Array[] = [];
      expect(await inflate.inflate(compressed, (p) => pieces.push(p.slice()) > 0)).toBe("done");
      expect(new TextDecoder().decode(concat(pieces))).toBe(text);
    }
  });

  it("data that is not DEFLATE fails", async () => {
    expect(await nodeRawInflate(15).inflate(new Uint8Array([0xff, 0xff, 0xff]), () => true)).toBe("failed");
  });
});
