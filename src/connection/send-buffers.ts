/**
 * The memory responses hold while they wait on their clients, shared by every response of the
 * process under one budget: the buffers files are streamed through, and the pieces of app bodies
 * written but not yet taken by the socket (src/connection/send-pull.ts). A file response takes
 * two buffers; while the budget lasts, it gets large ones (fast clients: few reads, few writes),
 * and an app body may have several pieces in flight. Once many responses wait on slow clients,
 * later files get small buffers and each app body one piece at a time. So memory for sending is
 * bounded however many clients read slowly (1,000 slow readers: the budget plus, each, 2 x 16 KiB
 * or one piece of the app's), and buffers are reused across responses, so streaming makes no
 * garbage.
 */
export const LARGE_BUFFER = 256 * 1024;
export const SMALL_BUFFER = 16 * 1024;
/** Large buffers in all (in use or free) and app pieces in flight: 8 MiB, 16 responses at full speed at once (nginx gives each response 2 x 32 KiB). */
const DEFAULT_BUDGET = 8 * 1024 * 1024;
/** Free small buffers kept for reuse (more are left to the garbage collector). */
const MAX_FREE_SMALL = 256;

export class SendBuffers {
  private readonly freeLarge: Uint8Array[] = [];
  private readonly freeSmall: Uint8Array[] = [];
  /** Large buffers that exist: handed out or free. */
  private large = 0;
  /** Bytes of app bodies written and not yet flushed. */
  private inFlight = 0;

  constructor(private readonly budgetBytes = DEFAULT_BUDGET) {}

  /** Whether large buffers are left: if not, responses make do with one small buffer each. */
  get plentiful(): boolean {
    return this.freeLarge.length > 0 || this.used + LARGE_BUFFER <= this.budgetBytes;
  }

  /** A buffer of LARGE_BUFFER bytes while the budget allows, else of SMALL_BUFFER. Its content is undefined. */
  acquire(): Uint8Array {
    const reused = this.freeLarge.pop();
    if (reused !== undefined) return reused;
    if (this.used + LARGE_BUFFER <= this.budgetBytes) {
      this.large++;
      return new Uint8Array(LARGE_BUFFER);
    }
    return this.freeSmall.pop() ?? new Uint8Array(SMALL_BUFFER);
  }

  /** Gives a buffer back for reuse; the caller must hold no reference the socket may still write from. */
  release(buffer: Uint8Array): void {
    if (buffer.length === LARGE_BUFFER) this.freeLarge.push(buffer);
    else if (this.freeSmall.length < MAX_FREE_SMALL) this.freeSmall.push(buffer);
  }

  /** A buffer the socket may still hold (its connection died mid-write): never reused, no longer counted. */
  forget(buffer: Uint8Array): void {
    if (buffer.length === LARGE_BUFFER) this.large--;
  }

  /**
   * Whether an app body that has pieces in flight may write one more before they are flushed:
   * while the budget lasts (free large buffers give way: they are dropped to make room).
   */
  mayHoldMore(): boolean {
    while (this.used >= this.budgetBytes && this.freeLarge.pop() !== undefined) this.large--;
    return this.used < this.budgetBytes;
  }

  /** An app body's piece is written: counted until flushed (or its connection is gone). */
  hold(bytes: number): void {
    this.inFlight += bytes;
  }

  /** The socket took a piece held before (or its connection is gone). */
  unhold(bytes: number): void {
    this.inFlight -= bytes;
  }

  /** What the budget is spent on: the large buffers (in use or free) and the pieces in flight. */
  private get used(): number {
    return this.large * LARGE_BUFFER + this.inFlight;
  }
}

/** The process's send buffers (per worker process, as the file cache is). */
export const SEND_BUFFERS = new SendBuffers();
