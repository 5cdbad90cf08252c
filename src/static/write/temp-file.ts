import type { FileInfo, FileWriter, OpenFile, WriteFailure } from "../../ports/file-system.ts";
import type { BodyRead, RequestBody } from "../../http/request-body.ts";
import { statusOf } from "./folder.ts";
import { tempName } from "./temp-name.ts";

/** A write given up: what the client is answered. */
export type Refused = { readonly kind: "refused"; readonly status: number };

/** A temporary file being written in the target's folder (write/temp-name.ts names it). */
export interface Temp {
  readonly kind: "temp";
  readonly name: string;
  readonly file: FileWriter;
}

/** A temporary file written whole and flushed: its content survives a crash, under its temporary name. */
export type Sealed = { readonly kind: "sealed"; readonly info: FileInfo } | Refused;

/** Creates a new temporary for a write to `name` by process `writer` (its pid, in the name), exclusively and never through a symlink. */
export async function createTemp(dir: OpenFile, name: string, writer: number): Promise<Temp | Refused> {
  const temp = tempName(name, writer);
  const created = await dir.create(temp);
  // "exists" is a temporary name met twice (64 random bits): not the client's conflict.
  if (created.kind === "failed") return refused(statusOf(created.reason === "exists" ? "other" : created.reason));
  return { kind: "temp", name: temp, file: created };
}

/** Appends bytes: resolves when the disk took them (507 for a full disk or quota, else 500). */
export async function append(temp: Temp, bytes: Uint8Array): Promise<Refused | null> {
  const written = await temp.file.write(bytes);
  return written.kind === "failed" ? refused(statusOf(written.reason)) : null;
}

/** Flushes the content (fsync) and reads what was written (fstat). */
export async function seal(temp: Temp): Promise<Sealed> {
  const synced = await temp.file.sync();
  if (synced.kind === "failed") return refused(synced.reason === "no-space" ? 507 : 500);
  const info = await temp.file.stat();
  return info === null ? refused(500) : { kind: "sealed", info };
}

/**
 * Gives the temporary its name: over a file there (rename, atomic), or, with `replace` false,
 * only where no entry has the name (renameNoReplace; "exists" is `conflict`). A folder at the
 * name is never replaced (409).
 */
export async function commitTemp(
  dir: OpenFile,
  temp: Temp,
  name: string,
  replace: boolean,
  conflict: number,
): Promise<Refused | null> {
  const moved = replace ? await dir.rename(temp.name, name) : await dir.renameNoReplace(temp.name, name);
  if (moved.kind === "ok") return null;
  return refused(moveStatus(moved, replace, conflict));
}

function moveStatus(failure: WriteFailure, replace: boolean, conflict: number): number {
  if (failure.reason === "no-space") return 507;
  if (!replace && failure.reason === "exists") return conflict;
  // rename over a folder fails as EISDIR (or EEXIST, ENOTEMPTY): a folder took the name.
  return replace ? 409 : 500;
}

/** Closes the temporary and removes it: nothing of a given-up write stays behind. */
export async function discard(dir: OpenFile, temp: Temp): Promise<void> {
  await temp.file.close();
  await dir.remove(temp.name);
}

/**
 * Reads a request body for a write, bounded by --max-upload counted over the whole body: past it
 * 413 (the rest is not read). A body the connection gave up on is its status (400 broken framing,
 * 408 too slow, 413 past --max-body); a client gone is answered to no one (400).
 */
export class BoundedBody {
  private total = 0;

  constructor(private readonly body: RequestBody, private readonly max: number | null) {}

  /** The next piece; with `into`, copied into it (RequestBody.read), valid until `into` is reused. */
  async read(into?: Uint8Array): Promise<Exclude<BodyRead, { kind: "failed" }> | Refused> {
    const piece = await this.body.read(into);
    if (piece.kind === "end") return piece;
    if (piece.kind === "failed") return refused(piece.error?.status ?? 400);
    this.total += piece.bytes.length;
    if (this.max !== null && this.total > this.max) return this.cancel(413);
    return piece;
  }

  /** The handler reads no more: the connection discards or lingers. */
  cancel(status: number): Refused {
    this.body.cancel();
    return refused(status);
  }
}

export function refused(status: number): Refused {
  return { kind: "refused", status };
}
