import type { Fixture } from "../support/fixture.ts";
import { hasResponses, type ParsedResponse, parseResponses } from "../support/http-response-parser.ts";
import { rawExchange } from "../support/raw-client.ts";
import type { RunningSundial, Target } from "../support/server-process.ts";

/** What each part of the black-box suite gets: the running server and its folder. */
export interface SuiteContext {
  readonly target: Target;
  readonly server: () => RunningSundial;
  readonly fixture: () => Fixture;
}

export function url(ctx: SuiteContext, path: string): string {
  return `http://127.0.0.1:${ctx.server().port}${path}`;
}

/** One request on a fresh connection, sent as raw bytes; the first response parsed (whole: a response cut short throws). */
export async function raw(ctx: SuiteContext, request: string, head = false): Promise<ParsedResponse & { closed: boolean }> {
  const result = await rawExchange(ctx.server().port, request, { until: hasResponses(1, { heads: [head] }), timeoutMs: 5000 });
  const [response] = parseResponses(result.data, { heads: [head], ended: result.closed });
  if (response === undefined || !response.complete) {
    throw new Error(`no whole response to ${JSON.stringify(request)}: ${JSON.stringify(result.data.toString("latin1").slice(0, 300))}`);
  }
  return { ...response, closed: result.closed };
}

/** A GET for a raw request-target, exactly as given (no client normalisation). */
export function get(target: string, extra = ""): string {
  return `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;
}
