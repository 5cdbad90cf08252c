/** A step: done when it returns, or when the promise it returns settles. */
export type Step = () => void | Promise<unknown>;

/**
 * Runs steps strictly in order, most of them at once: only a step that returns a promise (a
 * message being inflated or compressed) holds the steps after it until it settles. `onHold`
 * says when steps start and stop waiting (the session pauses its input meanwhile).
 */
export class InOrder {
  private queue: Step[] | null = null;

  constructor(
    private readonly onHold: (held: boolean) => void,
    /** A step that threw after waiting its turn (one that throws at once throws to run()'s caller). */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Whether steps are waiting for one in progress. */
  get busy(): boolean {
    return this.queue !== null;
  }

  run(step: Step): void {
    if (this.queue !== null) {
      this.queue.push(step);
      return;
    }
    const result = step();
    if (!(result instanceof Promise)) return;
    this.queue = [];
    this.onHold(true);
    this.after(result);
  }

  private after(result: Promise<unknown>): void {
    const next = (): void => this.next();
    result.then(next, next);
  }

  private next(): void {
    const queue = this.queue!;
    while (queue.length > 0) {
      let result: void | Promise<unknown>;
      try {
        result = queue.shift()!();
      } catch (error) {
        this.onError(error);
        continue;
      }
      if (result instanceof Promise) return this.after(result);
    }
    this.queue = null;
    this.onHold(false);
  }
}
