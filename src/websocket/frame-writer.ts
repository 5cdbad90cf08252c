import type { Opcode } from "./frame.ts";

/**
 * A server frame (RFC 6455 §5.2): never masked (§5.1: "A server MUST NOT mask any frames"),
 * the length in the shortest of the 7-, 16- and 64-bit forms, header and payload in one buffer
 * so that a frame leaves in one write. `rsv1`: a compressed message (RFC 7692 §6).
 */
export function encodeFrame(opcode: Opcode, payload: Uint8Array, fin = true, rsv1 = false): Uint8Array {
  const length = payload.length;
  const extra = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const out = new Uint8Array(2 + extra + length);
  out[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  if (extra === 0) out[1] = length;
  else if (extra === 2) {
    out[1] = 126;
    out[2] = length >> 8;
    out[3] = length & 0xff;
  } else {
    out[1] = 127;
    const view = new DataView(out.buffer);
    view.setUint32(2, Math.floor(length / 2 ** 32));
    view.setUint32(6, length >>> 0);
  }
  out.set(payload, 2 + extra);
  return out;
}
