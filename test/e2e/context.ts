import * as https from "node:https";
import { Readable } from "node:stream";
import type { Fixture } from "../support/fixture.ts";
import { hasResponses, type ParsedResponse, parseResponses } from "../support/http-response-parser.ts";
import { rawExchange } from "../support/raw-client.ts";
import type { RunningSundial, Target } from "../support/server-process.ts";

/**
 * What each part of the black-box suite gets (every part in parts/ takes this one argument): the
 * target, and the suite's shared server and its folder. A part that starts servers of its own
 * (other flags, a fixture of its own) uses only the target.
 */
export interface SuiteContext {
  readonly target: Target;
  readonly server: () => RunningSundial;
  readonly fixture: () => Fixture;
  /** The CA (PEM) that signed the server's certificate, when the server speaks TLS (see tls-suite.ts). */
  readonly ca?: () => string;
}

/** A part of the suite: registers its tests for the context's target. */
export type SuitePart = (ctx: SuiteContext) => void;

/**
 * The context of a suite without a shared server (the attack suite: each attack starts its own
 * server, so nothing else runs in it): asking for the shared server or folder is a mistake in the part.
 */
export function ownServersContext(target: Target): SuiteContext {
  const none = (): never => {
    throw new Error(`this suite on ${target.name} has no shared server: a part of it starts its own`);
  };
  return { target, server: none, fixture: none };
}

export function url(ctx: SuiteContext, path: string): string {
  return `${ctx.server().scheme}://127.0.0.1:${ctx.server().port}${path}`;
}

/** Statuses whose Response may not have a body (the Fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A GET of path as a real Response: the global fetch when the server is plain HTTP; over TLS
 * node:https trusting ctx.ca (Node 20's fetch cannot be given a CA). The TLS one sends no
 * Accept-Encoding, and refuses a coded body rather than decode it.
 */
export function fetchPath(ctx: SuiteContext, path: string): Promise<Response> {
  const target = url(ctx, path);
  if (ctx.server().scheme === "http") return fetch(target);
  const ca = ctx.ca?.();
  if (ca === undefined) throw new Error("the server speaks TLS, but the suite context has no CA");
  return new Promise((resolve, reject) => {
    const request = https.get(target, { ca, agent: false }, (message) => {
      if (message.headers["content-encoding"] !== undefined) {
        message.destroy();
        reject(
          new Error(
            `${target}: Content-Encoding ${message.headers["content-encoding"]}, which fetchPath does not decode`,
          ),
        );
        return;
      }
      const headers = new Headers();
      for (let i = 0; i < message.rawHeaders.length; i += 2) {
        headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
      }
      const status = message.statusCode!;
      const body = NULL_BODY.has(status) ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
      if (body === null) message.resume();
      resolve(new Response(body, { status, statusText: message.statusMessage, headers }));
    });
    request.on("error", reject);
  });
}

/** One request on a fresh connection, sent as raw bytes; the first response parsed (whole: a response cut short throws). */
export async function raw(
  ctx: SuiteContext,
  request: string,
  head = false,
): Promise<ParsedResponse & { closed: boolean }> {
  const result = await rawExchange(ctx.server().port, request, {
    until: hasResponses(1, { heads: [head] }),
    timeoutMs: 5000,
  });
  const [response] = parseResponses(result.data, { heads: [head], ended: result.closed });
  if (response === undefined || !response.complete) {
    throw new Error(
      `no whole response to ${JSON.stringify(request)}: ${
        JSON.stringify(result.data.toString("latin1").slice(0, 300))
      }`,
    );
  }
  return { ...response, closed: result.closed };
}

/** A GET for a raw request-target, exactly as given (no client normalisation). */
export function get(target: string, extra = ""): string {
  return `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;
}
