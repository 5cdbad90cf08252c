/** Bytes read from sockets between two collections. */
const COLLECT_EVERY = 16 * 1024 * 1024;

let sinceCollect = 0;

/**
 * Bun hands each socket read to the data handler in a new buffer, and JavaScriptCore frees such
 * buffers at its own pace: an upload streamed at disk speed held 20-30 MiB of read buffers
 * already written to disk (issue 24: a 1 GiB PUT raised RSS by 28-37 MiB; its bound is 32). A
 * collection every 16 MiB read (a few milliseconds over a small heap: about 0.1 s per GiB, within
 * the noise of an upload's time) keeps the growth near 16 MiB. Bun.gc(false) (asynchronous) did
 * not lower it.
 */
export function collectReadBuffers(bytes: number): void {
  sinceCollect += bytes;
  if (sinceCollect < COLLECT_EVERY) return;
  sinceCollect = 0;
  Bun.gc(true);
}
