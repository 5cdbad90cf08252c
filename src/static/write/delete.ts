import type { RequestHead } from "../../http/parser/request-head.ts";
import type { HttpResponse } from "../../http/response.ts";
import type { OpenFile } from "../../ports/file-system.ts";
import { errorResponse } from "../../http/error-page.ts";
import { writeAllowed } from "./conditions.ts";
import { openFolder, statusOf } from "./folder.ts";
import type { WriteContext, WriteTarget } from "./write-target.ts";

/**
 * DELETE (RFC 9110 §9.3.5): removes a file, or a folder when it is empty (else 409), then flushes
 * the folder so the removal lasts; 204 (§15.3.5). Never a symlink (403): what it names is not
 * the server's to judge. If-Match makes it conditional (412, §13.1.1).
 */
export async function remove(ctx: WriteContext, target: WriteTarget, head: RequestHead): Promise<HttpResponse> {
  const opened = await openFolder(ctx.root, target.folder, false);
  if (opened.kind === "refused") return errorResponse(opened.status === 409 ? 404 : opened.status);
  const dir = opened.folder.file;
  try {
    return await removeIn(ctx, dir, target.name, head);
  } finally {
    await dir.close();
  }
}

async function removeIn(ctx: WriteContext, dir: OpenFile, name: string, head: RequestHead): Promise<HttpResponse> {
  const current = await dir.entry(name);
  if (current === null) return errorResponse(404);
  if (current.kind !== "file" && current.kind !== "directory") return errorResponse(403);
  if (!writeAllowed(head, current.kind === "file" ? current : null)) return errorResponse(412);
  const removed = current.kind === "file" ? await dir.remove(name) : await dir.removeFolder(name);
  if (removed.kind === "failed") {
    // rmdir of a folder with entries says ENOTEMPTY, or EEXIST on some systems.
    return errorResponse(removed.reason === "missing" ? 404 : statusOf(removed.reason));
  }
  await dir.sync();
  ctx.changed();
  return { status: 204, headers: [], body: null };
}
