/** What nothing caught: a promise rejected with no handler, or an exception thrown where no code catches it (a timer's callback). */
export type UncaughtKind = "unhandled_rejection" | "uncaught_exception";

export interface UncaughtError {
  readonly kind: UncaughtKind;
  /** The rejection's reason or the thrown value, as it was (any value). */
  readonly error: unknown;
  /**
   * The tag current where it happened (Uncaught.tagged), or undefined: none was, or the runtime
   * does not carry it to where it reports the error (Bun for rejections, Deno for exceptions).
   */
  readonly tag: object | undefined;
}

/**
 * Errors nothing caught, process-wide: Node's and Bun's process events "unhandledRejection" and
 * "uncaughtException", Deno's "unhandledrejection" and "error" events. Left alone, each of them
 * ends the process.
 */
export interface Uncaught {
  /**
   * From now on each such error goes to fn instead of ending the process, unless the program
   * has a handler of its own for that event (a process.on listener on Node and Bun; on Deno one
   * that called preventDefault() before), which then decides. Several fns share one listener:
   * each error is offered to them in the order they were added until one takes it (returns
   * true), and given to the first with `unclaimed` true when none did. The returned function
   * removes fn; once the last is removed, the runtime's own behaviour is back.
   */
  catch(fn: (error: UncaughtError, unclaimed: boolean) => boolean): () => void;
  /** Runs fn with tag attached to everything it starts (AsyncLocalStorage): the tag an error from there carries, where the runtime can tell. */
  tagged<T>(tag: object, fn: () => T): T;
}
