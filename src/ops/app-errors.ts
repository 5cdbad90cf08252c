import type { App } from "../app.ts";
import type { Clock } from "../ports/clock.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import type { Uncaught, UncaughtKind } from "../ports/uncaught.ts";
import { appErrorLine } from "./app-error-line.ts";
import { LineBudget } from "./line-budget.ts";

/** Lines a second for errors nothing caught; the rest are counted and said in one line. */
export const APP_ERROR_LINES_PER_SECOND = 10;

export interface AppErrorDeps {
  readonly clock: Clock;
  readonly output: ConsoleOutput;
  readonly uncaught: Uncaught;
}

/** The policy for an app's errors nothing caught, while it is served. */
export interface AppErrors {
  /** The app with each request's handler run tagged with the request, so that an error it leaves behind names it (where the runtime can tell). */
  tag(app: App): App;
  /** Stops catching (the runtime's own behaviour is back once nothing else catches), writing the summary of lines held back. */
  stop(): void;
}

/** What a request's handler runs tagged with: whose it is, and the request for the line. */
class RequestTag {
  constructor(readonly owner: object, readonly method: string, readonly target: string) {}
}

/**
 * An app's unhandled rejection or uncaught exception (one request to a route that forgot an
 * await) must not end a server that hosts it, as it would by each runtime's default: it is
 * written to stderr as one line (appErrorLine), at most APP_ERROR_LINES_PER_SECOND a second,
 * counted (for /metrics), and the server goes on. An error tagged by another server's requests
 * in the same process is that server's; one tagged by none goes to the first that catches.
 */
export function catchAppErrors(deps: AppErrorDeps, count?: (kind: UncaughtKind) => void): AppErrors {
  const owner = {};
  const budget = new LineBudget(
    deps.clock,
    APP_ERROR_LINES_PER_SECOND,
    (line) => deps.output.err(line),
    (held) =>
      `sundial: ${held} more app error${
        held === 1 ? "" : "s"
      } in that second not shown (at most ${APP_ERROR_LINES_PER_SECOND} lines a second)`,
  );
  const release = deps.uncaught.catch((event, unclaimed) => {
    const tag = event.tag instanceof RequestTag ? event.tag : null;
    if (!unclaimed && tag?.owner !== owner) return false;
    count?.(event.kind);
    budget.offer(() => appErrorLine(event.kind, event.error, tag));
    return true;
  });
  return {
    tag: (app) => ({
      ...app,
      handle: (head, context) =>
        deps.uncaught.tagged(new RequestTag(owner, head.method, head.target), () => app.handle(head, context)),
    }),
    stop: () => {
      release();
      budget.flush();
    },
  };
}
