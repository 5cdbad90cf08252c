/**
 * Pieces compressed as one gzip member (RFC 1952) by the web platform's CompressionStream, which
 * Node, Deno and Bun all have. Pulled: the source is read only when the compressor wants more,
 * so a slow client pauses the walk of the folder too.
 */
export async function* gzipStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const input = new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value as Uint8Array<ArrayBuffer>);
    },
    async cancel() {
      await iterator.return?.();
    },
  }, { highWaterMark: 0 });
  const reader = input.pipeThrough(new CompressionStream("gzip")).getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stops the pipe and, through cancel(), the source (its files are closed by its own return).
    await reader.cancel().catch(() => {});
  }
}
