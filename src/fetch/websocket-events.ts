/**
 * The events a WHATWG-shaped WebSocket dispatches (upgraded-websocket.ts): MessageEvent is a
 * global on Node, Deno and Bun; CloseEvent is not on Node 20 and ErrorEvent is not on Node at
 * all. Where a global is missing, a small class of the same shape stands in for it, here only:
 * no global is ever assigned or replaced.
 */

/** What Event's constructor takes (DOM's EventInit, which Node's type declarations do not name). */
export interface BaseEventInit {
  readonly bubbles?: boolean;
  readonly cancelable?: boolean;
  readonly composed?: boolean;
}

/** What CloseEvent's constructor takes (WHATWG HTML §9.3.4). */
export interface CloseEventInit extends BaseEventInit {
  readonly code?: number;
  readonly reason?: string;
  readonly wasClean?: boolean;
}

/** A CloseEvent for runtimes without the global one (Node 20): an Event with code, reason and wasClean. */
export class SundialCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;

  constructor(type: string, init: CloseEventInit = {}) {
    super(type, init);
    this.code = init.code ?? 0;
    this.reason = init.reason ?? "";
    this.wasClean = init.wasClean ?? false;
  }
}

/** What ErrorEvent's constructor takes. */
export interface ErrorEventInit extends BaseEventInit {
  readonly message?: string;
  readonly error?: unknown;
}

/** An ErrorEvent for runtimes without the global one (Node): an Event with message and error. */
export class SundialErrorEvent extends Event {
  readonly message: string;
  readonly error: unknown;

  constructor(type: string, init: ErrorEventInit = {}) {
    super(type, init);
    this.message = init.message ?? "";
    this.error = init.error;
  }
}

type EventClass<I> = new (type: string, init?: I) => Event;

const globals = globalThis as { CloseEvent?: EventClass<CloseEventInit>; ErrorEvent?: EventClass<ErrorEventInit> };

/**
 * The runtime's own CloseEvent where it has one (Deno, Bun, Node 22+), else SundialCloseEvent:
 * sundial exports it, so an app has a CloseEvent on every runtime, and the global is left as it is.
 */
export const CloseEvent: new (type: string, init?: CloseEventInit) => SundialCloseEvent =
  (globals.CloseEvent ?? SundialCloseEvent) as never;

/** The runtime's own ErrorEvent (Deno, Bun), else SundialErrorEvent. */
export const ErrorEvent: new (type: string, init?: ErrorEventInit) => SundialErrorEvent =
  (globals.ErrorEvent ?? SundialErrorEvent) as never;
