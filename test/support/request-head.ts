import type { RequestHead } from "../../src/http/parser/request-head.ts";
import { requestFields } from "../../src/http/request-fields.ts";

/** A parsed request head for unit tests: `method target` on Host localhost, `extra` fields after it, no body. */
export function requestHead(method: string, target: string, extra: readonly [string, string][] = []): RequestHead {
  const all: [string, string][] = [["host", "localhost"], ...extra];
  return {
    method,
    target,
    version: "1.1",
    headers: all,
    fields: requestFields(all),
    host: "localhost",
    body: { kind: "none" },
    keepAlive: true,
    expectContinue: false,
  };
}
