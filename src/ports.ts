/**
 * The ports: the only ways the core reaches the outside world. Each runtime adapter
 * (runtime-adapters/<runtime>/) supplies them with its own raw APIs; tests supply fakes.
 */

/** One accepted TCP stream, as the core sees it (named for what it is: the web platform has no Socket type to shadow). */
export interface Socket {
  readonly remoteAddress: string;
  /** The peer's TCP port (0 when the runtime does not say). */
  readonly remotePort: number;
  /**
   * Bytes from the peer. Registering this callback is what starts reading: an adapter reads
   * nothing before it, so no byte is lost while the core sets the socket up. The chunk is only
   * valid during the call: the core copies what it keeps.
   */
  onData(fn: (chunk: Uint8Array) => void): void;
  /** The peer finished sending (TCP half-close); writing still works until end(). */
  onEnd(fn: () => void): void;
  /** The stream is gone (peer closed, error, or after end()/destroy()). Called once. */
  onClose(fn: () => void): void;
  /** Called when a write that returned false has been flushed below the high-water mark. */
  onDrain(fn: () => void): void;
  /**
   * Queue bytes. Returns false when the queue is over the high-water mark: wait for onDrain.
   * The connection may keep a reference to chunk until it is written; onFlushed, when given,
   * runs once it no longer does (so the caller may reuse the buffer). If the connection closes
   * first, onFlushed may never run: onClose tells the caller instead.
   */
  write(chunk: Uint8Array, onFlushed?: () => void): boolean;
  /** Stop delivering data until resume() (input backpressure). */
  pause(): void;
  resume(): void;
  /** Flush what is queued, then close. */
  end(): void;
  /** Close now, dropping anything queued. */
  destroy(): void;
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /**
   * HTTPS (src/tls/): the adapter terminates TLS 1.2 and 1.3 with these credentials, announces
   * ALPN "http/1.1", and gives the core the decrypted stream, so every byte above TLS still
   * comes from the core. Every adapter hands a Socket over once its handshake is done; one not
   * done by the handshake timeout is closed (socket and descriptor), and a failed handshake never
   * reaches the core. Absent: plain TCP.
   */
  readonly tls?: TlsListen;
  /**
   * --workers on Bun and Deno (src/workers/): SO_REUSEPORT, so that every worker listens on the
   * same port and Linux spreads new connections across them. Absent: the port is this listener's alone.
   */
  readonly reusePort?: boolean;
}

/** PEM text (RFC 7468), as read from the files; the certificate file may hold the chain after the leaf. */
export interface TlsCredentials {
  readonly cert: string;
  readonly key: string;
  /** For an encrypted private key; null when it is not. */
  readonly passphrase: string | null;
}

export interface TlsListen extends TlsCredentials {
  /** A handshake not done by then is abandoned and its socket closed (no slot, no descriptor kept). */
  readonly handshakeTimeoutMs: number;
}

/** Changing a listener's certificate: a value, the old one staying when the new one is refused. */
export type TlsChange = { readonly kind: "changed" } | { readonly kind: "failed"; readonly message: string };

export interface Listener {
  /** The port actually bound (differs from the requested one for port 0). */
  readonly port: number;
  close(): Promise<void>;
  /**
   * TLS listeners only: new handshakes use these credentials from now on, connections already
   * open keep theirs, and no connection is refused meanwhile. Refused credentials leave the old ones.
   */
  setTls?(credentials: TlsCredentials): Promise<TlsChange>;
}

/** Listening can fail in expected ways (port in use, bad address): a value, not an exception. */
export type ListenResult =
  | { readonly kind: "listening"; readonly listener: Listener }
  | { readonly kind: "failed"; readonly code: string; readonly message: string };

export interface Transport {
  listen(options: ListenOptions, onConnection: (connection: Socket) => void): Promise<ListenResult>;
}

export interface FileInfo {
  /** "symlink" only from OpenFile.entry(), which does not follow the entry it looks at. */
  readonly kind: "file" | "directory" | "symlink" | "other";
  readonly size: number;
  readonly mtimeMs: number;
  /** Which file this is whatever its name: device and inode ("dev:ino"), as stat gives them. */
  readonly id: string;
}

export interface FileSystem {
  /** The platform's path separator ("/" or "\\"). */
  readonly separator: string;
  /**
   * Whether OpenFile.path() can name what a descriptor refers to (Linux /proc/self/fd; Deno
   * only with --allow-all). Without it the check of opened files is narrowed, not sound.
   */
  readonly namesOpenFiles: boolean;
  /** The canonical absolute path (symlinks resolved), or null when it does not exist. */
  realPath(path: string): Promise<string | null>;
  /** Metadata after following symlinks, or null when it does not exist or cannot be read. */
  stat(path: string): Promise<FileInfo | null>;
  /**
   * A file or folder opened for reading (following symlinks), or null when it cannot be opened.
   * Never blocks (a FIFO opens at once and reports kind "other"). The caller closes it.
   */
  open(path: string): Promise<OpenFile | null>;
}

export interface DirEntry {
  readonly name: string;
  /** The entry itself is a symbolic link (what it points to is found by opening it). */
  readonly symlink: boolean;
}

/** Content codings the runtime can produce (RFC 9110 §8.4.1). */
export type CompressCoding = "br" | "gzip";

/** Compression, for on-the-fly encoding of small text files (--compress). */
export interface Compressor {
  /** The data encoded, or null when the runtime cannot do it. Never rejects. */
  compress(data: Uint8Array, coding: CompressCoding): Promise<Uint8Array | null>;
}

/**
 * A file or folder open for reading. Everything here is about what was opened, not about the
 * name it was opened by (which may have been swapped for a symlink since): this is what lets
 * the core check that a file it reads is inside the served folder.
 */
export interface OpenFile {
  /** Reads up to into.length bytes at position; resolves with how many were read (0 at the end). */
  read(into: Uint8Array, position: number): Promise<number>;
  /** Metadata of the opened file itself (fstat), or null when it cannot be read. */
  stat(): Promise<FileInfo | null>;
  /**
   * The path the descriptor refers to now, as the kernel tells it (Linux: /proc/self/fd/N), or
   * null where the platform cannot tell (the core then falls back to comparing identities).
   */
  path(): Promise<string | null>;
  /** The names in the opened folder (unsorted), or null when it is not a readable folder. */
  list(): Promise<DirEntry[] | null>;
  /** Metadata of one name inside the opened folder, not following it (a symlink is "symlink"). */
  entry(name: string): Promise<FileInfo | null>;
  /** Releases the descriptor. Never rejects. */
  close(): Promise<void>;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** The IANA name of the server's time zone, e.g. "Europe/Berlin". */
  timeZone(): string;
  /** Run fn after ms milliseconds; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Where the core writes its own lines (startup banner, errors). */
export interface ConsoleOutput {
  out(line: string): void;
  err(line: string): void;
  /** Writes bytes to stdout as they are (the access log's batches: UTF-8 lines that already end in "\n"). The caller does not reuse them. */
  log(bytes: Uint8Array): void;
}

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
