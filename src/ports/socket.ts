/**
 * The seam's socket: one accepted TCP (or decrypted TLS) stream. Each runtime adapter
 * (runtime-adapters/<runtime>/transport.ts) supplies it; tests supply fakes.
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
