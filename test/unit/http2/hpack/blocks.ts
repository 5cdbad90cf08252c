/** Helpers the HPACK tests share: hex in and out, and a decode that must succeed. */
import { expect } from "vitest";
import type { HeaderField } from "../../../../src/http2/hpack/decode-result.ts";
import type { HpackDecoder } from "../../../../src/http2/hpack/decoder.ts";

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Decodes a block that must decode to fields, and returns them. */
export function decodeFields(decoder: HpackDecoder, block: Uint8Array): HeaderField[] {
  const result = decoder.decode(block);
  if (result.kind !== "fields") expect.fail(`expected fields, got ${JSON.stringify(result)}`);
  return result.fields;
}

/** The reason of a block that must fail with a compression error. */
export function compressionReason(decoder: HpackDecoder, block: Uint8Array): string {
  const result = decoder.decode(block);
  if (result.kind !== "compression-error") expect.fail(`expected a compression error, got ${JSON.stringify(result)}`);
  return result.reason;
}

/** Fields as [name, value] pairs. */
export function pairs(fields: readonly HeaderField[]): Array<[string, string]> {
  return fields.map((f) => [f.name, f.value]);
}
