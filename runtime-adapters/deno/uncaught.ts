import type { InstallListeners } from "../shared-node/uncaught.ts";

/**
 * Deno's: the "unhandledrejection" and "error" events on globalThis, whose default (ending the
 * process) preventDefault() cancels. A listener of the program's that ran first and cancelled it
 * already decided what the error means; Deno cannot tell of one that runs after.
 */
export const denoListeners: InstallListeners = (deliver) => {
  const onRejection = (event: PromiseRejectionEvent): void => {
    if (event.defaultPrevented) return;
    event.preventDefault();
    deliver("unhandled_rejection", event.reason);
  };
  const onError = (event: ErrorEvent): void => {
    if (event.defaultPrevented) return;
    event.preventDefault();
    deliver("uncaught_exception", event.error);
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  globalThis.addEventListener("error", onError);
  return () => {
    globalThis.removeEventListener("unhandledrejection", onRejection);
    globalThis.removeEventListener("error", onError);
  };
};
