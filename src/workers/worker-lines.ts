import type { Clock } from "../ports/clock.ts";
import { lineReader } from "./line-reader.ts";
import type { WorkerExit, WorkerProcess } from "../ports/workers.ts";

/** How long a worker's stderr may stay open after it ended before its end is acted on. */
const STDERR_AFTER_EXIT_MS = 1000;

/** Calls fn with each line of the stream; resolves when it has ended (or failed). */
export async function readLines(stream: ReadableStream<Uint8Array>, fn: (line: string) => void): Promise<void> {
  const lines = lineReader();
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const line of lines.push(value)) fn(line);
    }
  } catch {
    // the pipe broke: what was read is all there is
  }
  for (const line of lines.end()) fn(line);
}

/**
 * How the worker ended, once its last lines (a stack trace, say) have been read: they come before
 * the news of its end, unless the pipe is held open by a process it started: then only
 * STDERR_AFTER_EXIT_MS later.
 */
export async function endAfterLastLines(worker: WorkerProcess, read: Promise<void>, clock: Clock): Promise<WorkerExit> {
  const exit = await worker.exited;
  let cancel = (): void => {};
  await Promise.race([
    read,
    new Promise((resolve) => (cancel = clock.after(STDERR_AFTER_EXIT_MS, () => resolve(null)))),
  ]);
  cancel();
  return exit;
}
