import type { App, Handler } from "../app.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";

const encoder = new TextEncoder();
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::[0-9]*)?$/;

/**
 * The plain-HTTP listener of --redirect-http: every request gets a 308 (RFC 9110 §15.4.9: the
 * method and body are kept, unlike 301) to the same target on https, at the HTTPS port. The
 * host is the request's Host without its port (RFC 9110 §7.2), else `fallbackHost`; an
 * absolute-form target (RFC 9112 §3.2.2) gives its own authority. The port is left out when it
 * is 443 (RFC 9110 §4.2.2's default).
 */
export function redirectApp(httpsPort: number, fallbackHost: string): App {
  const suffix = httpsPort === 443 ? "" : `:${httpsPort}`;
  const handle: Handler = (head) => redirect(head, suffix, fallbackHost);
  return { handle, headers: [] };
}

function redirect(head: RequestHead, portSuffix: string, fallbackHost: string): HttpResponse {
  let target = head.target;
  let host = head.host;
  const absolute = /^https?:\/\/([^/?#]*)(.*)$/i.exec(target);
  if (absolute !== null) {
    host = absolute[1]!;
    target = absolute[2]!.startsWith("/") ? absolute[2]! : `/${absolute[2]!}`;
  }
  if (!target.startsWith("/")) target = "/"; // "*" (OPTIONS) and authority-form: the root
  const name = host === null ? null : HOST.exec(host)?.[1] ?? null;
  const location = `https://${name ?? fallbackHost}${portSuffix}${target}`;
  const body = encoder.encode(`Redirecting to ${location}\n`);
  return {
    status: 308,
    headers: [["Location", location], ["Content-Type", "text/plain; charset=utf-8"], ["Cache-Control", "no-store"]],
    body,
  };
}
