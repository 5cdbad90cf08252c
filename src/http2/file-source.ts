import type { FileBody } from "../http/response.ts";
import type { OpenFile } from "../ports/file-system.ts";
import type { BodySource, SourceHooks } from "./body-source.ts";

/**
 * A file's byte range [start, end) read one buffer at a time: the next read starts only once
 * the piece before went out whole (it is copied into DATA frames, so the buffer is then free
 * again). The file is opened at once and closed at the end, on cancel(), or on failure; a read
 * that resolves after cancel() closes it then.
 */
export class FileSource implements BodySource {
  private file: OpenFile | null = null;
  private buffer: Uint8Array | null = null;
  private piece: Uint8Array | null = null;
  private position: number;
  /** A open() or read() is on its way. */
  private busy = true;
  private state: "running" | "done" | "cancelled" = "running";

  constructor(
    private readonly body: FileBody,
    private readonly chunkBytes: number,
    private readonly hooks: SourceHooks,
  ) {
    this.position = body.start;
    void this.open();
  }

  get last(): boolean {
    return this.position >= this.body.end;
  }

  peek(): Uint8Array | "end" | null {
    if (this.piece !== null) return this.piece;
    return this.state === "done" ? "end" : null;
  }

  consume(n: number): void {
    const rest = this.piece!.subarray(n);
    this.piece = rest.length > 0 ? rest : null;
    if (this.piece === null) this.next();
  }

  finish(): void {}

  cancel(): void {
    if (this.state !== "running") return;
    this.state = "cancelled";
    this.piece = null;
    if (!this.busy) this.close();
  }

  private async open(): Promise<void> {
    let file: OpenFile | null = null;
    try {
      file = await this.body.open();
    } catch {
      file = null;
    }
    this.busy = false;
    if (this.state === "cancelled") {
      if (file !== null) void file.close();
      return;
    }
    if (file === null) return this.failed("the file is no longer the one the response was made for");
    this.file = file;
    this.next();
  }

  /** The next piece, or the end once the range is all sent. */
  private next(): void {
    if (this.position < this.body.end) {
      void this.read();
      return;
    }
    this.state = "done";
    this.close();
    this.hooks.wake();
  }

  private async read(): Promise<void> {
    const want = Math.min(this.chunkBytes, this.body.end - this.position);
    this.buffer ??= new Uint8Array(want);
    this.busy = true;
    let n: number;
    try {
      n = await this.file!.read(this.buffer.subarray(0, want), this.position);
    } catch {
      n = -1;
    }
    this.busy = false;
    if (this.state === "cancelled") return this.close();
    if (n <= 0) return this.failed(`the file ended ${this.body.end - this.position} bytes short of its range`);
    this.position += n;
    this.piece = this.buffer.subarray(0, n);
    this.hooks.wake();
  }

  private failed(reason: string): void {
    this.state = "cancelled";
    this.close();
    this.hooks.fail(reason);
  }

  private close(): void {
    const file = this.file;
    this.file = null;
    this.buffer = null;
    if (file !== null) void file.close();
  }
}
