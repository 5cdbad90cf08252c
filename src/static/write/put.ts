import type { RequestBody } from "../../http/request-body.ts";
import type { RequestHead } from "../../http/parser/request-head.ts";
import type { HttpResponse } from "../../http/response.ts";
import type { FileInfo, OpenFile } from "../../ports/file-system.ts";
import { errorResponse } from "../../http/error-page.ts";
import { validatorsFor } from "../validators.ts";
import { writeAllowed } from "./conditions.ts";
import { openFolder } from "./folder.ts";
import {
  append,
  BoundedBody,
  commitTemp,
  createTemp,
  discard,
  type Refused,
  refused,
  seal,
  type Temp,
} from "./temp-file.ts";
import type { WriteContext, WriteTarget } from "./write-target.ts";

/** How the whole write ended. */
type Stored = { readonly kind: "committed"; readonly info: FileInfo } | Refused;

/**
 * PUT (RFC 9110 §9.3.4): stores the body at the target. The body goes, as it arrives, into a new
 * temporary file in the target's folder; only once it is whole is it flushed, renamed over the
 * target and the folder flushed, so a reader sees the old file or the new one, never a part, and
 * a failure at any step leaves the old file as it was and no temporary behind. 201 with Location
 * for a new file, 204 for a replaced one (§15.3.2, §15.3.5), the new strong ETag in both.
 */
export async function put(
  ctx: WriteContext,
  target: WriteTarget,
  head: RequestHead,
  body: RequestBody | null,
): Promise<HttpResponse> {
  const max = ctx.site.maxUpload ?? null;
  // RFC 9110 §15.5.14: refused before a byte is read when the length says it is too large.
  if (max !== null && body !== null && body.length !== null && body.length > max) return refuse(body, 413);
  const opened = await openFolder(ctx.root, target.folder, ctx.site.mkdir === true);
  if (opened.kind === "refused") return refuse(body, opened.status);
  const dir = opened.folder.file;
  try {
    const current = await dir.entry(target.name);
    const refusal = targetRefusal(current);
    if (refusal !== null) return refuse(body, refusal);
    if (!writeAllowed(head, current)) return refuse(body, 412);
    return await store(ctx, dir, target, body, { replacing: current !== null, replace: !onlyNew(head) });
  } finally {
    await dir.close();
  }
}

/** Never through a symlink, never a file over a folder (409), nothing but plain files. */
function targetRefusal(current: FileInfo | null): number | null {
  if (current === null || current.kind === "file") return null;
  return current.kind === "directory" ? 409 : 403;
}

/**
 * `If-None-Match: *` (RFC 9110 §13.1.2): only where there is no file. Checked before the body is
 * read, and again by the commit itself, which then never replaces: a file made meanwhile is 412.
 */
function onlyNew(head: RequestHead): boolean {
  return head.fields["if-none-match"]?.trim() === "*";
}

interface Mode {
  /** A file is there now: 204 rather than 201. */
  readonly replacing: boolean;
  /** The commit may replace a file (false: only a new name). */
  readonly replace: boolean;
}

async function store(
  ctx: WriteContext,
  dir: OpenFile,
  target: WriteTarget,
  body: RequestBody | null,
  mode: Mode,
): Promise<HttpResponse> {
  const temp = await createTemp(dir, target.name, ctx.writer);
  if (temp.kind === "refused") return refuse(body, temp.status);
  const committed = await copyAndCommit(ctx, temp, dir, target.name, body, mode.replace).catch(
    // A port that rejects where it should have said "failed": still no temporary left behind.
    (): Stored => refused(500),
  );
  if (committed.kind === "refused") {
    await discard(dir, temp);
    return errorResponse(committed.status);
  }
  await temp.file.close();
  ctx.changed();
  const etag: readonly [string, string] = ["ETag", validatorsFor(committed.info).etag];
  if (mode.replacing) return { status: 204, headers: [etag], body: null };
  return { status: 201, headers: [["Location", target.location], etag], body: null };
}

async function copyAndCommit(
  ctx: WriteContext,
  temp: Temp,
  dir: OpenFile,
  name: string,
  body: RequestBody | null,
  replace: boolean,
): Promise<Stored> {
  const written = body === null ? null : await writeBody(temp, new BoundedBody(body, ctx.site.maxUpload ?? null));
  return written === null ? await commit(temp, dir, name, replace) : written;
}

/**
 * Bytes of the body read and written at once. Each piece is copied into one buffer, reused: a
 * gigabyte of upload makes no garbage for the collector to catch up with (issue 24 bounds the
 * memory an upload raises to 32 MiB).
 */
const PIECE = 64 * 1024;

/** Copies the body into the file, one piece at a time: each read waits for the disk to take the last. */
async function writeBody(temp: Temp, body: BoundedBody): Promise<Refused | null> {
  const buffer = new Uint8Array(PIECE);
  for (;;) {
    const piece = await body.read(buffer);
    if (piece.kind !== "data") return piece.kind === "end" ? null : piece;
    const failed = await append(temp, piece.bytes);
    if (failed !== null) return body.cancel(failed.status);
  }
}

/** Flush, rename over the target (or only to a new name), flush the folder: the file survives a crash. */
async function commit(temp: Temp, dir: OpenFile, name: string, replace: boolean): Promise<Stored> {
  const sealed = await seal(temp);
  if (sealed.kind === "refused") return sealed;
  // A folder that took the target's name meanwhile cannot be replaced by a file: 409; a file
  // that took it under If-None-Match: * fails the precondition (412).
  const moved = await commitTemp(dir, temp, name, replace, 412);
  if (moved !== null) return moved;
  await dir.sync();
  return { kind: "committed", info: sealed.info };
}

/** A refusal before the body is read: the connection discards it, or closes after the answer. */
function refuse(body: RequestBody | null, status: number): HttpResponse {
  body?.cancel();
  return errorResponse(status);
}
