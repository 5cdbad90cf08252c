import { failure, type FrameHead, isControl, type Opcode, type WebSocketFailure } from "./frame.ts";

/** What the reader hands on: a frame's head, its payload in pieces (unmasked), its end. */
export type FrameEvent =
  | { readonly kind: "head"; readonly head: FrameHead }
  | { readonly kind: "data"; readonly bytes: Uint8Array }
  | { readonly kind: "end" };

/** What the receiver of events says: go on (null), fail the connection, or stop reading (a close was received). */
export type FrameVerdict = null | WebSocketFailure | "stop";

const KNOWN_OPCODES: ReadonlySet<number> = new Set([0x0, 0x1, 0x2, 0x8, 0x9, 0xa]);

/**
 * Reads client frames (RFC 6455 §5.2) from pieces of input as they come: pieces in, events out.
 * It keeps at most a frame's header (14 bytes): each piece of payload is unmasked and handed on
 * at once, so what it holds never grows with the input. Each rule fails at the first byte that
 * breaks it, before any payload is read: client frames must be masked (§5.1, §5.3), RSV bits
 * must be 0 with no extension negotiated (§5.2), reserved opcodes fail (§5.2), control frames
 * carry at most 125 bytes and are never fragmented (§5.5), the 64-bit length's high bit is 0
 * (§5.2), and a frame longer than maxPayload is refused with 1009 (§7.4.1) unread. With
 * permessage-deflate (`rsv1`), RSV1 marks a compressed message's first frame (RFC 7692 §6).
 */
export class FrameReader {
  private readonly header = new Uint8Array(14);
  /** Header bytes read so far, and how many the header has (2 until the second byte says). */
  private have = 0;
  private headerLength = 2;
  /** Payload bytes still to come of the current frame; -1 while reading a header. */
  private remaining = -1;
  private readonly mask = new Uint8Array(4);
  private maskAt = 0;
  private done = false;

  constructor(
    private readonly maxPayload: number,
    private readonly sink: (event: FrameEvent) => FrameVerdict,
    /** permessage-deflate was negotiated: RSV1 may be set (RFC 7692 §6). */
    private readonly rsv1 = false,
  ) {}

  /** Reads a piece of input; a failure once the input breaks a rule (then nothing more is read). */
  feed(chunk: Uint8Array): WebSocketFailure | null {
    let i = 0;
    while (i < chunk.length && !this.done) {
      if (this.remaining < 0) {
        const read = this.readHeader(chunk, i);
        if (typeof read !== "number") return this.stop(read);
        i = read;
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - i);
      const verdict = this.sink({ kind: "data", bytes: this.unmask(chunk, i, take) });
      i += take;
      this.remaining -= take;
      if (verdict !== null) return this.stop(verdict);
      if (this.remaining === 0) {
        const end = this.endFrame();
        if (end !== null) return this.stop(end);
      }
    }
    return null;
  }

  private stop(verdict: WebSocketFailure | "stop"): WebSocketFailure | null {
    this.done = true;
    return verdict === "stop" ? null : verdict;
  }

  /** Takes header bytes from chunk at i; the index after them, or why the frame is refused. */
  private readHeader(chunk: Uint8Array, i: number): number | WebSocketFailure | "stop" {
    while (i < chunk.length && this.have < this.headerLength) {
      this.header[this.have++] = chunk[i++]!;
      if (this.have === 1) {
        const bad = checkFirstByte(this.header[0]!, this.rsv1);
        if (bad !== null) return bad;
      }
      if (this.have === 2) {
        const second = checkSecondByte(this.header[0]!, this.header[1]!);
        if (typeof second !== "number") return second;
        this.headerLength = second;
      }
    }
    if (this.have < this.headerLength) return i;
    const verdict = this.startPayload();
    return verdict === null ? i : verdict;
  }

  /** The header is complete: its length checked, the mask kept, the head handed on. */
  private startPayload(): FrameVerdict {
    const h = this.header;
    const length = payloadLength(h);
    if (length === null) return failure(1002, "a 64-bit payload length must have its most significant bit 0");
    if (length > this.maxPayload) return failure(1009, `frame of ${length} bytes over maxPayloadLength`);
    this.mask.set(h.subarray(this.headerLength - 4, this.headerLength));
    this.maskAt = 0;
    this.remaining = length;
    const head: FrameHead = {
      fin: (h[0]! & 0x80) !== 0,
      opcode: (h[0]! & 0x0f) as Opcode,
      rsv1: (h[0]! & 0x40) !== 0,
      length,
    };
    const verdict = this.sink({ kind: "head", head });
    if (verdict !== null || length > 0) return verdict;
    return this.endFrame();
  }

  private endFrame(): FrameVerdict {
    this.remaining = -1;
    this.have = 0;
    this.headerLength = 2;
    return this.sink({ kind: "end" });
  }

  /** RFC 6455 §5.3: byte i of the payload is XORed with byte i mod 4 of the masking key. */
  private unmask(chunk: Uint8Array, from: number, length: number): Uint8Array {
    // A copy of its own, a plain Uint8Array: a Node or Bun Buffer's slice() is a view of the chunk
    // (the payload would keep the whole chunk alive, and `.buffer` would be the chunk's).
    const out = new Uint8Array(length);
    out.set(chunk.subarray(from, from + length));
    const mask = this.mask;
    let at = this.maskAt;
    for (let j = 0; j < out.length; j++) {
      out[j] = out[j]! ^ mask[at]!;
      at = (at + 1) & 3;
    }
    this.maskAt = at;
    return out;
  }
}

/**
 * §5.2: RSV1-3 are 0 without an extension that defines them; an opcode not defined fails. RFC
 * 7692 §6.1: with permessage-deflate, RSV1 is set only on a data message's first frame.
 */
function checkFirstByte(b: number, rsv1: boolean): WebSocketFailure | null {
  if ((b & (rsv1 ? 0x30 : 0x70)) !== 0) return failure(1002, "RSV bits set without a negotiated extension");
  const opcode = b & 0x0f;
  if (!KNOWN_OPCODES.has(opcode)) return failure(1002, `reserved opcode ${opcode}`);
  if ((b & 0x40) !== 0 && (isControl(opcode) || opcode === 0)) {
    return failure(1002, "RSV1 on a control frame or a continuation");
  }
  // §5.5: control frames must not be fragmented.
  if (isControl(opcode) && (b & 0x80) === 0) return failure(1002, "fragmented control frame");
  return null;
}

/** The header's whole length from its first two bytes, or why the frame is refused. */
function checkSecondByte(first: number, second: number): number | WebSocketFailure {
  // §5.1: a server must close the connection on an unmasked frame from a client.
  if ((second & 0x80) === 0) return failure(1002, "client frame not masked");
  const len7 = second & 0x7f;
  // §5.5: all control frames have a payload length of 125 bytes or less.
  if (isControl(first & 0x0f) && len7 > 125) return failure(1002, "control frame payload over 125 bytes");
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + 4;
}

/** §5.2's payload length (7 bits, or 16 or 64 bits after them); null when the 64-bit form's high bit is set. */
function payloadLength(h: Uint8Array): number | null {
  const len7 = h[1]! & 0x7f;
  if (len7 < 126) return len7;
  if (len7 === 126) return (h[2]! << 8) | h[3]!;
  if ((h[2]! & 0x80) !== 0) return null;
  const high = ((h[2]! << 24) | (h[3]! << 16) | (h[4]! << 8) | h[5]!) >>> 0;
  const low = ((h[6]! << 24) | (h[7]! << 16) | (h[8]! << 8) | h[9]!) >>> 0;
  return high * 2 ** 32 + low;
}
