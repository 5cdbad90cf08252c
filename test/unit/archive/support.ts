import type { ArchiveEntry } from "../../../src/archive/entry.ts";

/** Entries from plain values: a file's content given in pieces (it may be shorter than its size). */
export function entry(
  path: string,
  content: string | null,
  options: { size?: number; mtimeMs?: number; pieces?: number } = {},
): ArchiveEntry {
  const bytes = new TextEncoder().encode(content ?? "");
  const pieces = options.pieces ?? 1;
  return {
    path,
    kind: content === null ? "directory" : "file",
    size: options.size ?? bytes.length,
    mtimeMs: options.mtimeMs ?? Date.UTC(2024, 0, 2, 3, 4, 6),
    async *content() {
      const step = Math.max(1, Math.ceil(bytes.length / pieces));
      for (let i = 0; i < bytes.length; i += step) yield bytes.subarray(i, i + step);
    },
  };
}

export async function* listOf(entries: readonly ArchiveEntry[]): AsyncGenerator<ArchiveEntry> {
  yield* entries;
}

export async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece.slice());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  new TextDecoder().decode(bytes.subarray(start, end)).replace(/\0+$/, "");
