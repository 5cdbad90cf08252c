/** Where the core writes its own lines (startup banner, errors). */
export interface ConsoleOutput {
  out(line: string): void;
  err(line: string): void;
  /** Writes bytes to stdout as they are (the access log's batches: UTF-8 lines that already end in "\n"). The caller does not reuse them. */
  log(bytes: Uint8Array): void;
}
