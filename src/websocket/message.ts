import { type CloseReceived, parseClosePayload } from "./close.ts";
import { failure, type FrameHead, isControl, OPCODE } from "./frame.ts";
import type { FrameEvent, FrameVerdict } from "./frame-reader.ts";
import { Utf8Validator } from "./utf8.ts";

/** What a peer said, once a message or a control frame is complete. */
export type Incoming =
  | { readonly kind: "text"; readonly text: string; readonly bytes: number }
  | { readonly kind: "binary"; readonly data: Uint8Array }
  /** A permessage-deflate message (RFC 7692 §6.2), still compressed: its type and its compressed bytes. */
  | { readonly kind: "compressed"; readonly text: boolean; readonly data: Uint8Array }
  | { readonly kind: "ping"; readonly data: Uint8Array }
  | { readonly kind: "pong"; readonly data: Uint8Array }
  | CloseReceived;

/** A data message being received, possibly over several frames (RFC 6455 §5.4). */
interface Assembling {
  readonly text: boolean;
  /** RSV1 on its first frame: the payload is compressed, checked as UTF-8 once inflated. */
  readonly compressed: boolean;
  readonly pieces: Uint8Array[];
  size: number;
}

const decoder = new TextDecoder();

/**
 * Builds messages from the frame reader's events: fragments joined (§5.4) with control frames
 * between them answered at once (§5.4: "control frames MAY be injected in the middle of a
 * fragmented message"), text checked as UTF-8 as each piece arrives, across fragment boundaries
 * (§8.1: failing at the first bad byte), and a message larger than maxPayload refused with 1009
 * as soon as a frame's header announces it (§7.4.1), before its payload is read. A compressed
 * message (RSV1, RFC 7692 §6) is handed on whole and compressed: the session inflates it, holding
 * it to maxPayload again once inflated.
 */
export class MessageAssembler {
  private message: Assembling | null = null;
  private frame: FrameHead | null = null;
  /** A control frame's payload (at most 125 bytes, §5.5). */
  private control: Uint8Array[] = [];
  private readonly utf8 = new Utf8Validator();

  constructor(private readonly maxPayload: number, private readonly deliver: (incoming: Incoming) => FrameVerdict) {}

  /** One event of the frame reader. */
  take(event: FrameEvent): FrameVerdict {
    if (event.kind === "head") return this.head(event.head);
    if (event.kind === "data") return this.data(event.bytes);
    return this.end();
  }

  private head(head: FrameHead): FrameVerdict {
    this.frame = head;
    if (isControl(head.opcode)) {
      this.control = [];
      return null;
    }
    if (head.opcode === OPCODE.continuation) {
      if (this.message === null) return failure(1002, "continuation frame with no message to continue");
    } else {
      if (this.message !== null) return failure(1002, "new data frame before the fragmented message ended");
      this.message = { text: head.opcode === OPCODE.text, compressed: head.rsv1, pieces: [], size: 0 };
      this.utf8.reset();
    }
    if (this.message.size + head.length > this.maxPayload) {
      return failure(1009, `message over maxPayloadLength (${this.maxPayload} bytes)`);
    }
    return null;
  }

  private data(bytes: Uint8Array): FrameVerdict {
    if (isControl(this.frame!.opcode)) {
      this.control.push(bytes);
      return null;
    }
    const message = this.message!;
    if (message.text && !message.compressed && !this.utf8.push(bytes)) return failure(1007, "text message not UTF-8");
    message.pieces.push(bytes);
    message.size += bytes.length;
    return null;
  }

  private end(): FrameVerdict {
    const frame = this.frame!;
    this.frame = null;
    if (isControl(frame.opcode)) return this.endControl(frame.opcode, joined(this.control, frame.length));
    const message = this.message!;
    if (!frame.fin) return null;
    this.message = null;
    const data = joined(message.pieces, message.size);
    if (message.compressed) return this.deliver({ kind: "compressed", text: message.text, data });
    if (!message.text) return this.deliver({ kind: "binary", data });
    if (!this.utf8.complete) return failure(1007, "text message ends inside a UTF-8 sequence");
    return this.deliver({ kind: "text", text: decoder.decode(data), bytes: data.length });
  }

  private endControl(opcode: number, data: Uint8Array): FrameVerdict {
    if (opcode === OPCODE.ping) return this.deliver({ kind: "ping", data });
    if (opcode === OPCODE.pong) return this.deliver({ kind: "pong", data });
    const close = parseClosePayload(data);
    return close.kind === "failed" ? close : this.deliver(close);
  }
}

/** Pieces as one array (the one piece itself when there is only one). */
function joined(pieces: readonly Uint8Array[], size: number): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
