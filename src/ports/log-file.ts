/** A file the access log appends to (--log): written in batches, reopened for logrotate. */
export interface LogFile {
  /** Appends bytes, all of them; an error is reported once through onError, and the bytes are lost, not thrown. */
  write(bytes: Uint8Array): void;
  close(): void;
}

export type LogFileOpen = { readonly kind: "opened"; readonly file: LogFile } | {
  readonly kind: "failed";
  readonly message: string;
};
