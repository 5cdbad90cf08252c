import * as fs from "node:fs";
import type { LogFileOpen } from "../../src/ports/log-file.ts";

/**
 * The access log file (--log) on node:fs, which Deno and Bun share: opened for appending
 * (O_APPEND, so lines from batches never interleave), written synchronously a batch at a time
 * (at most 64 KiB per 100 ms, as nginx writes its log), closed on reopen and shutdown.
 */
export function openLogFile(path: string, onError: (message: string) => void): LogFileOpen {
  let fd: number;
  try {
    fd = fs.openSync(path, "a", 0o640);
  } catch (error) {
    return { kind: "failed", message: (error as Error).message };
  }
  let failed = false;
  return {
    kind: "opened",
    file: {
      write: (bytes) => {
        try {
          // writeSync may write less than it is given (a signal, a nearly full disk).
          for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at, bytes.length - at);
          failed = false;
        } catch (error) {
          // Once per run of failures (a full disk), not once per batch.
          if (!failed) onError((error as Error).message);
          failed = true;
        }
      },
      close: () => {
        try {
          fs.closeSync(fd);
        } catch {
          // Already closed: nothing to do.
        }
      },
    },
  };
}
