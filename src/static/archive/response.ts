import { gzipStream } from "../../archive/gzip.ts";
import type { ArchiveEntry } from "../../archive/entry.ts";
import { tarStream } from "../../archive/tar.ts";
import { zipStream } from "../../archive/zip.ts";
import type { HttpResponse, PullBody } from "../../http/response.ts";
import type { Compressor } from "../../ports/compress.ts";

export type ArchiveFormat = "tar" | "tar.gz" | "zip";

interface Format {
  readonly type: string;
  readonly write: (e: AsyncIterable<ArchiveEntry>, compressor: Compressor) => AsyncIterable<Uint8Array>;
  /** Its pieces are views of the walk's read buffer (PullBody.reusesPieces); the compressor's are its own. */
  readonly reusesPieces: boolean;
}

const FORMATS: Readonly<Record<ArchiveFormat, Format>> = {
  "tar": { type: "application/x-tar", write: (e) => tarStream(e), reusesPieces: true },
  "tar.gz": {
    type: "application/gzip",
    write: (e, c) => gzipStream(tarStream(e), c.gzipStream()),
    reusesPieces: false,
  },
  "zip": { type: "application/zip", write: (e) => zipStream(e), reusesPieces: true },
};

/** `download=tar|tar.gz|zip` from the query, or null (absent or anything else: not an archive request). */
export function archiveFormat(query: string | null): ArchiveFormat | null {
  if (query === null || !query.includes("download=")) return null;
  const value = new URLSearchParams(query).get("download");
  return value === "tar" || value === "tar.gz" || value === "zip" ? value : null;
}

/**
 * The folder as one archive, written as it is sent: a pulled body (the connection asks for the
 * next piece only once the socket has taken the last), so memory stays flat whatever the size.
 * No Content-Length: it is not known until the end (chunked in HTTP/1.1).
 * `done` runs once the body is finished or abandoned (it closes the folder).
 */
export function archiveResponse(
  entries: AsyncIterable<ArchiveEntry>,
  format: ArchiveFormat,
  folderName: string,
  compressor: Compressor,
  done: () => Promise<void>,
): HttpResponse {
  const { type, write, reusesPieces } = FORMATS[format];
  const pieces = write(entries, compressor)[Symbol.asyncIterator]();
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    void done();
  };
  const body: PullBody = {
    kind: "pull",
    length: null,
    reusesPieces,
    async read() {
      try {
        const next = await pieces.next();
        if (next.done === true) {
          finish();
          return { kind: "end" };
        }
        return { kind: "data", bytes: next.value };
      } catch (error) {
        finish();
        return { kind: "failed", error };
      }
    },
    cancel() {
      void pieces.return?.(undefined).catch(() => {}).finally(finish);
    },
  };
  return {
    status: 200,
    headers: [["Content-Type", type], ["Content-Disposition", attachment(`${folderName}.${format}`)], [
      "Cache-Control",
      "no-store",
    ]],
    body,
  };
}

/**
 * RFC 6266 §4.1: an ASCII `filename` for old clients (other characters as "_", quotes and
 * backslashes too) and the real name as `filename*` in UTF-8 (RFC 8187 §3.2).
 */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
