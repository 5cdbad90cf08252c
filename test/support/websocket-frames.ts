/**
 * WebSocket frames as a client writes them (RFC 6455 §5.2), for the unit tests and the raw-socket
 * e2e tests: masked by default, with any header bit a test needs set, and a reader of the
 * server's unmasked frames.
 */

export interface ClientFrameOptions {
  readonly fin?: boolean;
  /** Sets RSV1-3 (bits 0x70 of the first byte). */
  readonly rsv?: number;
  /** false: an unmasked frame (which a server must refuse). */
  readonly masked?: boolean;
  readonly mask?: readonly [number, number, number, number];
  /** Announce this length instead of the payload's (to test the length checks). */
  readonly announcedLength?: number;
}

const encoder = new TextEncoder();

export function clientFrame(
  opcode: number,
  payload: Uint8Array | string,
  options: ClientFrameOptions = {},
): Uint8Array {
  const data = typeof payload === "string" ? encoder.encode(payload) : payload;
  const length = options.announcedLength ?? data.length;
  const masked = options.masked ?? true;
  const mask = options.mask ?? [0x37, 0xfa, 0x21, 0x3d];
  const extra = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const head = new Uint8Array(2 + extra + (masked ? 4 : 0));
  head[0] = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
  head[1] = (masked ? 0x80 : 0) | (extra === 0 ? length : extra === 2 ? 126 : 127);
  const view = new DataView(head.buffer);
  if (extra === 2) view.setUint16(2, length);
  if (extra === 8) view.setBigUint64(2, BigInt(length));
  if (masked) head.set(mask, 2 + extra);
  const body = data.slice();
  if (masked) { for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ mask[i & 3]!; }
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** A close frame's payload: the code, then the reason. */
export function closeBody(code: number, reason = ""): Uint8Array {
  const text = encoder.encode(reason);
  const out = new Uint8Array(2 + text.length);
  out[0] = code >> 8;
  out[1] = code & 0xff;
  out.set(text, 2);
  return out;
}

/** A frame the server sent. */
export interface ServerFrame {
  readonly fin: boolean;
  /** RSV1: a compressed message with permessage-deflate (RFC 7692 §6). */
  readonly rsv1: boolean;
  readonly opcode: number;
  readonly masked: boolean;
  readonly payload: Uint8Array;
}

/** Reads complete server frames from the front of bytes; `rest` is what is left (an incomplete frame). */
export function readServerFrames(bytes: Uint8Array): { frames: ServerFrame[]; rest: Uint8Array } {
  const frames: ServerFrame[] = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < 2) break;
    const len7 = bytes[at + 1]! & 0x7f;
    const masked = (bytes[at + 1]! & 0x80) !== 0;
    const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const headLength = 2 + extra + (masked ? 4 : 0);
    if (bytes.length - at < headLength) break;
    const view = new DataView(bytes.buffer, bytes.byteOffset + at);
    const length = extra === 0 ? len7 : extra === 2 ? view.getUint16(2) : Number(view.getBigUint64(2));
    if (bytes.length - at < headLength + length) break;
    frames.push({
      fin: (bytes[at]! & 0x80) !== 0,
      rsv1: (bytes[at]! & 0x40) !== 0,
      opcode: bytes[at]! & 0x0f,
      masked,
      payload: bytes.slice(at + headLength, at + headLength + length),
    });
    at += headLength + length;
  }
  return { frames, rest: bytes.slice(at) };
}

/** A close frame's code (null: none) and reason. */
export function closeOf(frame: ServerFrame): { code: number | null; reason: string } {
  if (frame.payload.length < 2) return { code: null, reason: "" };
  return {
    code: (frame.payload[0]! << 8) | frame.payload[1]!,
    reason: new TextDecoder().decode(frame.payload.subarray(2)),
  };
}
