import { AsyncLocalStorage } from "node:async_hooks";
import type { Uncaught, UncaughtError, UncaughtKind } from "../../src/ports/uncaught.ts";

type Catcher = (error: UncaughtError, unclaimed: boolean) => boolean;

/**
 * The runtime's side of the Uncaught port: starts passing each error nothing caught to `deliver`
 * (and no longer ending the process on it), unless the program handles that event itself;
 * returns how to stop.
 */
export type InstallListeners = (deliver: (kind: UncaughtKind, error: unknown) => void) => () => void;

/**
 * The Uncaught port from a runtime's listeners: one set installed while any catcher is there,
 * and tags carried by AsyncLocalStorage (node:async_hooks, which Node, Bun and Deno implement).
 */
export function uncaughtPort(install: InstallListeners, tagging = true): Uncaught {
  const tags = new AsyncLocalStorage<object>();
  const catchers: Catcher[] = [];
  let uninstall: (() => void) | null = null;
  const deliver = (kind: UncaughtKind, error: unknown): void => {
    const event: UncaughtError = { kind, error, tag: tags.getStore() };
    try {
      if (!catchers.some((fn) => fn(event, false))) catchers[0]?.(event, true);
    } catch {
      // A listener that throws would end the process (Node: a fatal exception): nothing is left to tell.
    }
  };
  return {
    catch: (fn) => {
      catchers.push(fn);
      uninstall ??= install(deliver);
      return () => {
        const at = catchers.indexOf(fn);
        if (at >= 0) catchers.splice(at, 1);
        if (catchers.length > 0 || uninstall === null) return;
        uninstall();
        uninstall = null;
      };
    },
    tagged: tagging ? (tag, fn) => tags.run(tag, fn) : (_tag, fn) => fn(),
  };
}

/**
 * Node's and Bun's: process.on("unhandledRejection") and ("uncaughtException"). With a listener
 * on the event, neither runtime ends the process; when the program has one of its own besides
 * this one, it alone decides what the error means.
 */
export const processListeners: InstallListeners = (deliver) => {
  const onRejection = (reason: unknown): void => {
    if (process.listenerCount("unhandledRejection") === 1) deliver("unhandled_rejection", reason);
  };
  const onException = (error: unknown): void => {
    if (process.listenerCount("uncaughtException") === 1) deliver("uncaught_exception", error);
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return () => {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
  };
};
