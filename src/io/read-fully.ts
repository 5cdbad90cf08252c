import type { OpenFile } from "../ports/file-system.ts";

/** Fills into from position, as far as the file goes; resolves with the bytes read (short at end of file). */
export async function readFully(file: OpenFile, into: Uint8Array, position: number): Promise<number> {
  let filled = 0;
  while (filled < into.length) {
    const n = await file.read(filled === 0 ? into : into.subarray(filled), position + filled);
    if (n <= 0) break;
    filled += n;
  }
  return filled;
}
