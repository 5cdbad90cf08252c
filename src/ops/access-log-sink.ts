import { LogBatcher } from "../access-log/batcher.ts";
import type { LogFormat } from "../access-log/format.ts";
import { LogTime } from "../access-log/log-time.ts";
import { requestIds } from "../access-log/request-id.ts";
import type { Exchange, ServerObserver } from "../connection/observer.ts";
import type { Clock } from "../ports/clock.ts";
import type { ConsoleOutput } from "../ports/console-output.ts";
import type { LogFile, LogFileOpen } from "../ports/log-file.ts";
import { accessLogObserver } from "./observers.ts";

export interface AccessLogDeps {
  readonly clock: Clock;
  readonly output: ConsoleOutput;
  /** Opens a file for appending (created if missing). */
  readonly openLog: (path: string, onError: (message: string) => void) => LogFileOpen;
}

/** The running access log: its observer, and what the process does with it on signals. */
export interface AccessLog {
  readonly observer: ServerObserver;
  /** Writes what is pending, closes the file and opens it again (SIGUSR1, after logrotate moved it); a message when it failed. */
  reopen(): string | null;
  /** Writes what is pending and closes the file (shutdown). */
  close(): void;
}

/**
 * The access log on stdout (by default, as nginx's and Caddy's users read it with journald or
 * `docker logs`) or appended to a file (--log), one line per request, written in batches (at most
 * 64 KiB or 100 ms apart) so the request path only formats a line.
 */
export function openAccessLog(
  deps: AccessLogDeps,
  format: LogFormat,
  path: string | null,
  skip?: (exchange: Exchange) => boolean,
): { kind: "ok"; log: AccessLog } | { kind: "failed"; message: string } {
  const reportError = (message: string): void => deps.output.err(`sundial: access log ${path}: ${message}`);
  let file: LogFile | null = null;
  if (path !== null) {
    const opened = deps.openLog(path, reportError);
    if (opened.kind === "failed") {
      return { kind: "failed", message: `cannot open the access log ${path}: ${opened.message}` };
    }
    file = opened.file;
  }
  const sink = file === null
    ? (bytes: Uint8Array) => deps.output.log(bytes)
    : (bytes: Uint8Array) => file?.write(bytes);
  const batcher = new LogBatcher(sink, deps.clock);
  const observer = accessLogObserver({
    format,
    batcher,
    time: new LogTime(deps.clock.timeZone()),
    requestId: requestIds(),
    skip,
  });
  return {
    kind: "ok",
    log: {
      observer,
      reopen: () => {
        batcher.flush();
        if (path === null) return null;
        // The new file first: when it cannot be opened, the log goes on into the old one (as nginx's does).
        const opened = deps.openLog(path, reportError);
        if (opened.kind === "failed") {
          return `cannot reopen the access log ${path}: ${opened.message} (still writing to the file opened before)`;
        }
        file?.close();
        file = opened.file;
        return null;
      },
      close: () => {
        batcher.flush();
        file?.close();
        file = null;
      },
    },
  };
}
