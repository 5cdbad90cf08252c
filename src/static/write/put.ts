import type { RequestBody } from "../../http/request-body.ts";
import type { RequestHead } from "../../http/parser/request-head.ts";
import type { HttpResponse } from "../../http/response.ts";
import type { FileInfo, FileWriter, OpenFile } from "../../ports/file-system.ts";
import { errorResponse } from "../../http/error-page.ts";
import { validatorsFor } from "../validators.ts";
import { writeAllowed } from "./conditions.ts";
import { openFolder, statusOf } from "./folder.ts";
import { tempName } from "./temp-name.ts";
import type { WriteContext, WriteTarget } from "./write-target.ts";

/** A write given up: what the client is answered. */
type Refused = { readonly kind: "refused"; readonly status: number };
/** How a body's copy into the temporary file ended. */
type Copied = { readonly kind: "copied" } | Refused;
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
    return await store(ctx, dir, target, body, current !== null);
  } finally {
    await dir.close();
  }
}

/** Never through a symlink, never a file over a folder (409), nothing but plain files. */
function targetRefusal(current: FileInfo | null): number | null {
  if (current === null || current.kind === "file") return null;
  return current.kind === "directory" ? 409 : 403;
}

async function store(
  ctx: WriteContext,
  dir: OpenFile,
  target: WriteTarget,
  body: RequestBody | null,
  replacing: boolean,
): Promise<HttpResponse> {
  const temp = tempName(target.name);
  const created = await dir.create(temp);
  if (created.kind === "failed") return refuse(body, statusOf(created.reason === "exists" ? "other" : created.reason));
  const committed = await copyAndCommit(ctx, created, dir, temp, target.name, body).catch(
    // A port that rejects where it should have said "failed": still no temporary left behind.
    (): Stored => ({ kind: "refused", status: 500 }),
  );
  await created.close();
  if (committed.kind === "refused") {
    await dir.remove(temp);
    return errorResponse(committed.status);
  }
  ctx.changed();
  const etag: readonly [string, string] = ["ETag", validatorsFor(committed.info).etag];
  if (replacing) return { status: 204, headers: [etag], body: null };
  return { status: 201, headers: [["Location", target.location], etag], body: null };
}

async function copyAndCommit(
  ctx: WriteContext,
  file: FileWriter,
  dir: OpenFile,
  temp: string,
  name: string,
  body: RequestBody | null,
): Promise<Stored> {
  const written = await writeBody(file, body, ctx.site.maxUpload ?? null);
  return written.kind === "copied" ? await commit(file, dir, temp, name) : written;
}

/**
 * Bytes of the body read and written at once. Each piece is copied into one buffer, reused: a
 * gigabyte of upload makes no garbage for the collector to catch up with (issue 24 bounds the
 * memory an upload raises to 32 MiB).
 */
const PIECE = 64 * 1024;

/** Copies the body into the file, one piece at a time: each read waits for the disk to take the last. */
async function writeBody(file: FileWriter, body: RequestBody | null, max: number | null): Promise<Copied> {
  if (body === null) return { kind: "copied" };
  const buffer = new Uint8Array(PIECE);
  let total = 0;
  for (;;) {
    const piece = await body.read(buffer);
    if (piece.kind === "end") return { kind: "copied" };
    // The connection answers a broken or slow body itself; a client gone is answered to no one.
    if (piece.kind === "failed") return { kind: "refused", status: piece.error?.status ?? 400 };
    total += piece.bytes.length;
    if (max !== null && total > max) return refuse413(body);
    const result = await file.write(piece.bytes);
    if (result.kind === "failed") {
      body.cancel();
      return { kind: "refused", status: statusOf(result.reason) };
    }
  }
}

function refuse413(body: RequestBody): Copied {
  body.cancel();
  return { kind: "refused", status: 413 };
}

/** Flush, rename over the target, flush the folder: after this the new file survives a crash. */
async function commit(
  file: FileWriter,
  dir: OpenFile,
  temp: string,
  name: string,
): Promise<Stored> {
  const synced = await file.sync();
  if (synced.kind === "failed") return { kind: "refused", status: synced.reason === "no-space" ? 507 : 500 };
  const info = await file.stat();
  if (info === null) return { kind: "refused", status: 500 };
  // A folder that took the target's name meanwhile cannot be replaced by a file: 409.
  const renamed = await dir.rename(temp, name);
  if (renamed.kind === "failed") return { kind: "refused", status: renamed.reason === "no-space" ? 507 : 409 };
  await dir.sync();
  return { kind: "committed", info };
}

/** A refusal before the body is read: the connection discards it, or closes after the answer. */
function refuse(body: RequestBody | null, status: number): HttpResponse {
  body?.cancel();
  return errorResponse(status);
}
