/**
 * The seam's socket: one accepted TCP (or decrypted TLS) stream. Each runtime adapter
 * (runtime-adapters/<runtime>/transport.ts) supplies it; tests supply fakes.
 */

/**
 * One accepted TCP stream, as the core sees it (named for what it is: the web platform has no
 * Socket type to shadow). The core sets each on* callback once (adapters differ on a second
 * call: Node adds a listener, Bun and Deno replace it). test/contract/ checks every adapter
 * against what is written here.
 */
export interface Socket {
  readonly remoteAddress: string;
  /** The peer's TCP port (0 when the runtime does not say). */
  readonly remotePort: number;
  /** The protocol TLS's ALPN agreed on (RFC 7301: "h2", "http/1.1"); null or absent: none (plain TCP, or no ALPN). */
  readonly alpnProtocol?: string | null;
  /**
   * Bytes from the peer. Registering this callback is what starts reading: an adapter reads
   * nothing before it, so no byte is lost while the core sets the socket up. The chunk is only
   * valid during the call: the core copies what it keeps.
   */
  onData(fn: (chunk: Uint8Array) => void): void;
  /** The peer finished sending (TCP half-close); writing still works until end(). */
  onEnd(fn: () => void): void;
  /**
   * The stream is gone (peer closed or reset it, error, or after end()/destroy()). Called once,
   * possibly during the end() or destroy() that closed it.
   */
  onClose(fn: () => void): void;
  /** Called when a write that returned false has been flushed below the high-water mark. */
  onDrain(fn: () => void): void;
  /**
   * Queue bytes. Returns false when the queue is over the high-water mark: wait for onDrain.
   * The connection may keep a reference to chunk until it is written; onFlushed, when given,
   * runs once it no longer does (so the caller may reuse the buffer): possibly during this call,
   * when the kernel took the whole chunk at once. If the connection closes
   * first, onFlushed may never run: onClose tells the caller instead. Once the stream is closed
   * (or destroy() was called), write() queues nothing, returns false and never throws.
   */
  write(chunk: Uint8Array, onFlushed?: () => void): boolean;
  /** Stop delivering data until resume() (input backpressure), even bytes a read already waiting gets. */
  pause(): void;
  resume(): void;
  /** Flush what is queued, then close. */
  end(): void;
  /** Close now, dropping anything queued (a FIN or a reset: the runtime's choice). Never throws, nor does any call after it. */
  destroy(): void;
}
