/**
 * Request ids: unique within the process and, with 32 random bits of prefix, across the
 * processes whose logs are read together. "1f0c9a3e-1", "1f0c9a3e-2", ... "1f0c9a3e-2s": one
 * string concatenation a request, no random bytes after the first.
 */

/** Fills the array with random bytes (crypto.getRandomValues, W3C Web Crypto §10.1.1). */
export type RandomFill = (bytes: Uint8Array) => void;

const webRandom: RandomFill = (bytes) => {
  crypto.getRandomValues(bytes);
};

/** "1f0c9a3e": eight hex digits from four random bytes. */
export function processPrefix(random: RandomFill = webRandom): string {
  const bytes = new Uint8Array(4);
  random(bytes);
  let text = "";
  for (const byte of bytes) text += (byte < 16 ? "0" : "") + byte.toString(16);
  return text;
}

/** A generator of ids: its own random prefix and a base-36 counter from 1. */
export function requestIds(random: RandomFill = webRandom): () => string {
  const prefix = `${processPrefix(random)}-`;
  let counter = 0;
  return () => prefix + (++counter).toString(36);
}
