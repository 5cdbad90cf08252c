import type { RequestHead } from "../../http/parser/request-head.ts";
import type { RequestBody } from "../../http/request-body.ts";
import type { HttpResponse } from "../../http/response.ts";
import { errorResponse } from "../../http/error-page.ts";
import { remove } from "./delete.ts";
import { post } from "./post.ts";
import { put } from "./put.ts";
import { folderTarget, type WriteContext, writeTarget } from "./write-target.ts";

/** The methods the site allows (RFC 9110 §10.2.1 Allow), by what is switched on. */
export function allowedMethods(site: { readonly upload?: boolean; readonly allowDelete?: boolean }): string {
  return `GET, HEAD, OPTIONS${site.upload === true ? ", POST, PUT" : ""}${site.allowDelete === true ? ", DELETE" : ""}`;
}

/** Whether the site writes at all (--upload or --allow-delete): then it takes PUT, DELETE and OPTIONS. */
export function writesEnabled(site: { readonly upload?: boolean; readonly allowDelete?: boolean }): boolean {
  return site.upload === true || site.allowDelete === true;
}

/**
 * POST (an upload form to a folder), PUT and DELETE under the root, as switched on; any other
 * method (OPTIONS aside, which the router answers) is 405 with Allow. `rawPath` is the path
 * under the site (base path removed).
 */
export function write(
  ctx: WriteContext,
  head: RequestHead,
  rawPath: string,
  prefix: string,
  body: RequestBody | null,
): Promise<HttpResponse> | HttpResponse {
  if (!allowed(ctx, head.method)) return refuse(body, 405, [["Allow", allowedMethods(ctx.site)]]);
  if (head.method === "POST") {
    const folder = folderTarget(rawPath, ctx.site, prefix);
    return folder.kind === "refused" ? refuse(body, folder.status) : post(ctx, folder, head, body);
  }
  const target = writeTarget(rawPath, ctx.site, prefix);
  if (target.kind === "refused") return refuse(body, target.status);
  return head.method === "PUT" ? put(ctx, target, head, body) : remove(ctx, target, head);
}

function allowed(ctx: WriteContext, method: string): boolean {
  if (method === "POST" || method === "PUT") return ctx.site.upload === true;
  return method === "DELETE" && ctx.site.allowDelete === true;
}

function refuse(
  body: RequestBody | null,
  status: number,
  headers: ReadonlyArray<readonly [string, string]> = [],
): HttpResponse {
  body?.cancel();
  return errorResponse(status, headers);
}
