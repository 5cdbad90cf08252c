import type { ListenResult, Transport } from "../ports/transport.ts";

/** A worker's transport, and the ports it bound where port 0 was asked for. */
export interface PinnedTransport extends Transport {
  /** In the order the listeners came up: what a ready line reports. */
  boundForPortZero(): number[];
}

/**
 * The transport of a worker whose port is shared by SO_REUSEPORT ("kernel" sharing): every
 * listener is opened with reusePort, and the k-th one asked for on port 0 (main, admin, ...:
 * main.ts opens them in a fixed order) binds pinned[k], the port the first worker got, so that
 * all workers share one port instead of each getting its own. Without pins (the first worker)
 * port 0 stays 0 and the kernel picks. A failed listen does not count, so a retry on another
 * address (every interface: "::", then "0.0.0.0") gets the same pin.
 * With "supervisor" sharing (node:cluster) the runtime does all this itself: reusePort off, no pins.
 */
export function pinnedTransport(inner: Transport, pinned: readonly number[], reusePort: boolean): PinnedTransport {
  const bound: number[] = [];
  return {
    listen: async (options, onConnection): Promise<ListenResult> => {
      const zero = options.port === 0;
      const port = zero ? (pinned[bound.length] ?? 0) : options.port;
      const result = await inner.listen({ ...options, port, ...(reusePort ? { reusePort: true } : {}) }, onConnection);
      if (result.kind === "listening" && zero) bound.push(result.listener.port);
      return result;
    },
    boundForPortZero: () => [...bound],
  };
}
