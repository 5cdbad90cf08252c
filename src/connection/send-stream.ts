import { chunk, LAST_CHUNK } from "../http/chunked/encode.ts";
import type { StreamBody } from "../http/response.ts";

/** What the connection lends a streamed body while it is sent. */
export interface StreamDeps {
  /** Queues bytes on the socket; false when it is over its high-water mark. */
  write(bytes: Uint8Array): boolean;
  /** True once the connection is gone. */
  gone(): boolean;
  /** Resolves once the socket is below its high-water mark again (or gone). */
  drained(): Promise<void>;
  /** True once the server is shutting down. */
  closing(): boolean;
  /** Ends the connection after what is queued. */
  finish(): void;
  /** Registers how to end the stream now (server shutdown, client gone); null once it ended. */
  setEnd(end: (() => void) | null): void;
}

/**
 * Streams a body of unknown length until the producer ends it, the client goes, or the server
 * shuts down (then the last chunk is sent: a clean end). Pieces the client is too slow to take
 * are dropped rather than queued; one that reads nothing for the send timeout is dropped itself.
 * Chunked in HTTP/1.1, close-delimited in 1.0 (RFC 9112 §6.3, §7.1).
 */
export function sendStream(
  host: StreamDeps,
  headBytes: Uint8Array,
  body: StreamBody,
  keepAlive: boolean,
  chunked: boolean,
): Promise<void> {
  host.write(headBytes);
  return new Promise((resolve) => {
    let blocked = false;
    let ended = false;
    let stop: () => void = () => {};
    const end = (): void => {
      if (ended) return;
      ended = true;
      host.setEnd(null);
      stop();
      // RFC 9112 §7.1: the last chunk (size 0) and the empty trailer section.
      if (chunked && !host.gone()) host.write(LAST_CHUNK);
      if (!host.gone() && (!keepAlive || host.closing())) host.finish();
      resolve();
    };
    host.setEnd(end);
    const stopProducer = body.start({
      write: (bytes) => {
        if (host.gone() || ended || blocked) return false;
        // An empty chunk would read as the last one (RFC 9112 §7.1): nothing to send.
        if (bytes.length === 0) return true;
        if (host.write(chunked ? chunk(bytes) : bytes)) return true;
        blocked = true;
        void host.drained().then(() => (blocked = false));
        return true;
      },
      end,
    });
    // The producer may have ended already (then stop it now), or the server may have begun
    // shutting down after closeWhenIdle() passed this connection by: end cleanly at once.
    if (ended) stopProducer();
    else stop = stopProducer;
    if (host.gone() || host.closing()) end();
  });
}
