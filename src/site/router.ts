import type { Handler } from "../app.ts";
import { parseTarget } from "../static/url-path.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";
import type { Clock } from "../ports/clock.ts";
import type { Compressor } from "../ports/compress.ts";
import type { FileSystem } from "../ports/file-system.ts";
import { errorResponse } from "../http/error-page.ts";
import { StaticFiles, type StaticOptions } from "../static/handler.ts";
import { parseTimeRequest, timeResponse, unknownZone } from "../time/handler.ts";
import { allowedMethods, writesEnabled } from "../static/write/writes.ts";
import { formDataType } from "../http/multipart/boundary.ts";

/** Methods registered by RFC 9110 §9 and RFC 5789: known, so refused with 405 rather than 501. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]);

const ALLOW: ReadonlyArray<readonly [string, string]> = [["Allow", "GET, HEAD"]];

export interface RouteContext {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly compressor: Compressor;
  /** The folder to serve; null serves none (then /time, then the fallback). */
  readonly files: StaticOptions | null;
  /** An app that answers what the site does not: other methods, and paths with no file (in place of the 404). */
  readonly fallback?: Handler;
  /** The path the site is served under (SiteOptions.basePath); "" at the root. */
  readonly basePath?: string;
}

/** Routes a request: /time, else a file under the root. */
export function createRouter(ctx: RouteContext): Handler {
  const files = ctx.files === null ? null : new StaticFiles(ctx.fs, ctx.clock, ctx.compressor, ctx.files);
  const cors = ctx.files?.site.cors ?? false;
  const fallback = ctx.fallback;
  const base = ctx.basePath ?? "";
  const writes = ctx.files !== null && writesEnabled(ctx.files.site) ? allowedMethods(ctx.files.site) : null;
  return (head, context) => {
    const method = head.method;
    const target = parseTarget(head.target, method);
    if (target.kind === "refused") return errorResponse(target.status);
    // With --upload or --allow-delete, the site takes the writing methods before an app does.
    if (files !== null && writes !== null && siteWrites(head, ctx.files!, fallback) && target.form !== "asterisk") {
      if (method === "OPTIONS") return cors ? corsOptions(head, writes) : optionsAnswer(writes);
      const prefix = context.forwarded?.prefix ?? base;
      return files.write(head, underBase(target.rawPath, base), prefix, context.body);
    }
    if (fallback !== undefined && method !== "GET" && method !== "HEAD") return fallback(head, context);
    if (method !== "GET" && method !== "HEAD") {
      if (cors && method === "OPTIONS") return corsOptions(head, "GET, HEAD, OPTIONS");
      return refuseMethod(method, target.form, writes);
    }
    // Under --base-path, a request that still carries the prefix has it removed (one that does not
    // was stripped by the proxy); a trusted X-Forwarded-Prefix says what the client's URL had.
    let rawPath = target.rawPath;
    if (base !== "" && (rawPath === base || rawPath.startsWith(`${base}/`))) {
      if (rawPath === base) return folderRedirect(base, target.query);
      rawPath = rawPath.slice(base.length);
    }
    const prefix = context.forwarded?.prefix ?? base;
    if (rawPath.startsWith("/time")) {
      const time = parseTimeRequest(rawPath, target.query, head);
      if (time?.kind === "ok") return timeResponse(ctx.clock, time, { clientIp: context.client.address });
      if (time?.kind === "unknown-zone") return unknownZone(time.name);
    }
    if (files === null) return fallback === undefined ? errorResponse(404) : fallback(head, context);
    const found = files.serve(head, rawPath, target.query, prefix);
    if (fallback === undefined) return found;
    const orApp = (
      response: HttpResponse,
    ): HttpResponse | Promise<HttpResponse> => (response.status === 404 ? fallback(head, context) : response);
    return found instanceof Promise ? found.then(orApp) : orApp(found);
  };
}

/** The methods a writing site answers itself (besides GET and HEAD); others stay 405 or the app's. */
const WRITE_METHODS = new Set(["PUT", "DELETE", "OPTIONS"]);

/**
 * Whether the site answers this method itself: PUT, DELETE and OPTIONS, and with --upload a POST,
 * though beside an app only an upload form's (multipart/form-data): other POSTs stay the app's.
 */
function siteWrites(head: RequestHead, files: StaticOptions, fallback: Handler | undefined): boolean {
  if (head.method !== "POST") return WRITE_METHODS.has(head.method);
  if (files.site.upload !== true) return false;
  return fallback === undefined || formDataType(head.fields["content-type"]).kind !== "other";
}

/** The path under --base-path: with the prefix removed when the request still carries it. */
function underBase(rawPath: string, base: string): string {
  if (base === "" || !rawPath.startsWith(`${base}/`)) return rawPath;
  return rawPath.slice(base.length);
}

/** RFC 9110 §9.3.7: OPTIONS learns the methods in Allow. */
function optionsAnswer(allow: string): HttpResponse {
  return { status: 204, headers: [["Allow", allow]], body: null };
}

/** The base path asked for without its slash: to the folder (relative: "files/"), keeping the query. */
function folderRedirect(base: string, query: string | null): HttpResponse {
  const location = `${base.slice(base.lastIndexOf("/") + 1)}/${query === null ? "" : `?${query}`}`;
  return { status: 301, headers: [["Location", location]], body: null };
}

/**
 * With --cors, OPTIONS answers 204: a preflight (Fetch standard, CORS protocol) learns the
 * methods and headers it may use; a plain OPTIONS learns Allow (RFC 9110 §9.3.7).
 */
function corsOptions(head: RequestHead, methods: string): HttpResponse {
  if (head.fields.origin === undefined || head.fields["access-control-request-method"] === undefined) {
    return { status: 204, headers: [["Allow", methods]], body: null };
  }
  const headers: Array<readonly [string, string]> = [
    ["Access-Control-Allow-Methods", methods],
    ["Access-Control-Max-Age", "86400"],
  ];
  const asked = head.fields["access-control-request-headers"];
  // The parser admits only visible characters in values, so the echo is a valid field value.
  if (asked !== undefined && asked !== "") headers.push(["Access-Control-Allow-Headers", asked]);
  return { status: 204, headers, body: null };
}

function refuseMethod(method: string, form: string, writes: string | null): HttpResponse {
  const allow: ReadonlyArray<readonly [string, string]> = writes === null ? ALLOW : [["Allow", writes]];
  // RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole.
  if (method === "OPTIONS" && form === "asterisk") return { status: 200, headers: allow, body: null };
  // RFC 9110 §15.6.2: 501 for a method the server does not recognise; §15.5.6: 405 with Allow otherwise.
  if (!KNOWN_METHODS.has(method)) return errorResponse(501);
  // CONNECT asks for a tunnel: what follows is not HTTP, so close after refusing (RFC 9110 §9.3.6).
  return errorResponse(405, allow, method === "CONNECT");
}
