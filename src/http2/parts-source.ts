import type { FileBody, PartsBody } from "../http/response.ts";
import { type BodySource, BytesSource, type SourceHooks } from "./body-source.ts";
import { FileSource } from "./file-source.ts";

/**
 * A body of pieces in order, bytes and file ranges (multipart/byteranges, RFC 9110 §14.6): each
 * piece a source of its own, made when its turn comes (so one file is open at a time).
 */
export class PartsSource implements BodySource {
  private index = -1;
  private current: BodySource | null = null;

  constructor(
    private readonly body: PartsBody,
    private readonly chunkBytes: number,
    private readonly hooks: SourceHooks,
  ) {
    this.advance();
  }

  get last(): boolean {
    return this.index >= this.body.pieces.length - 1 && (this.current?.last ?? true);
  }

  peek(): Uint8Array | "end" | null {
    for (;;) {
      if (this.current === null) return "end";
      const piece = this.current.peek();
      if (piece !== "end") return piece;
      this.advance();
    }
  }

  consume(n: number): void {
    this.current!.consume(n);
  }

  finish(): void {}

  cancel(): void {
    this.current?.cancel();
    this.current = null;
    this.index = this.body.pieces.length;
  }

  private advance(): void {
    this.index++;
    const piece = this.body.pieces[this.index];
    this.current = piece === undefined ? null : this.sourceOf(piece);
  }

  private sourceOf(piece: Uint8Array | FileBody): BodySource {
    return piece instanceof Uint8Array ? new BytesSource(piece) : new FileSource(piece, this.chunkBytes, this.hooks);
  }
}
