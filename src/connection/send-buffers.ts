/**
 * The buffers files are streamed through, shared by every response of the process under one
 * budget. A response takes two; while the large ones in use stay within the budget, it gets
 * large ones (fast clients: few reads, few writes), and once many responses wait on slow
 * clients, later ones get small ones. So memory for send buffers is bounded however many
 * clients read slowly (1,000 slow readers: the budget plus 2 x 16 KiB each), and buffers are
 * reused across responses, so streaming makes no garbage.
 */
export const LARGE_BUFFER = 256 * 1024;
export const SMALL_BUFFER = 16 * 1024;
/** Large buffers in all (in use or free): 8 MiB, 16 responses at full speed at once (nginx gives each response 2 x 32 KiB). */
const DEFAULT_BUDGET = 8 * 1024 * 1024;
/** Free small buffers kept for reuse (more are left to the garbage collector). */
const MAX_FREE_SMALL = 256;

export class SendBuffers {
  private readonly freeLarge: Uint8Array[] = [];
  private readonly freeSmall: Uint8Array[] = [];
  /** Large buffers that exist: handed out or free. */
  private large = 0;
  private readonly maxLarge: number;

  constructor(budgetBytes = DEFAULT_BUDGET) {
    this.maxLarge = Math.max(2, Math.floor(budgetBytes / LARGE_BUFFER));
  }

  /** Whether large buffers are left: if not, responses make do with one small buffer each. */
  get plentiful(): boolean {
    return this.freeLarge.length > 0 || this.large < this.maxLarge;
  }

  /** A buffer of LARGE_BUFFER bytes while the budget allows, else of SMALL_BUFFER. Its content is undefined. */
  acquire(): Uint8Array {
    const reused = this.freeLarge.pop();
    if (reused !== undefined) return reused;
    if (this.large < this.maxLarge) {
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
}

/** The process's send buffers (per worker process, as the file cache is). */
export const SEND_BUFFERS = new SendBuffers();
