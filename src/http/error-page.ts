import { type HttpResponse, utf8 } from "./response.ts";
import { statusText } from "./status.ts";

const HTML = "text/html; charset=utf-8";

/**
 * Statuses that say the request itself was not understood: what follows it on the connection
 * cannot be trusted, so the connection closes after them (RFC 9112 §9.6; nginx does the same).
 */
const CLOSE_AFTER = new Set([400, 408, 413, 414, 431, 501, 505]);

/** A short HTML page for an error status. */
const plain = new Map<number, HttpResponse>();

export function errorResponse(
  status: number,
  extraHeaders: ReadonlyArray<readonly [string, string]> = [],
  close = false,
): HttpResponse {
  if (extraHeaders.length > 0 || close) return build(status, extraHeaders, close);
  let response = plain.get(status);
  if (response === undefined) {
    response = build(status, extraHeaders, close);
    plain.set(status, response);
  }
  return response;
}

function build(status: number, extraHeaders: ReadonlyArray<readonly [string, string]>, close: boolean): HttpResponse {
  const text = `${status} ${statusText(status)}`;
  const body = utf8(
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>${text}</title></head>` +
      `<body><h1>${text}</h1><hr><p>sundial</p></body></html>\n`,
  );
  return { status, headers: [["Content-Type", HTML], ...extraHeaders], body, close: close || CLOSE_AFTER.has(status) };
}
