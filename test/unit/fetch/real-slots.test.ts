import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { headersView } from "../../../src/fetch/headers-view.ts";
import { lazyRequest } from "../../../src/fetch/request.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import type { BodyRead, RequestBody } from "../../../src/http/request-body.ts";
import { requestFields } from "../../../src/http/request-fields.ts";

const FIELDS: Array<[string, string]> = [["host", "h"], ["x-a", "1"]];

function head(): RequestHead {
  return {
    method: "POST",
    target: "/p",
    version: "1.1",
    headers: FIELDS,
    fields: requestFields(FIELDS),
    host: "h",
    body: { kind: "length", length: 5 },
    keepAlive: true,
    expectContinue: false,
  };
}

function body(text: string): RequestBody {
  let done = false;
  return {
    length: text.length,
    read: (): Promise<BodyRead> => {
      if (done) return Promise.resolve({ kind: "end" });
      done = true;
      return Promise.resolve({ kind: "data", bytes: new TextEncoder().encode(text) });
    },
    cancel: () => {},
  } as RequestBody;
}

/** The stand-ins where the runtime looks inside (here, Node's undici and util.inspect). */
describe("a lazy Request where the runtime reads its internal slots", () => {
  it("util.inspect prints it as a real Request, and its headers as real Headers", () => {
    const request = lazyRequest(head(), "http://h/p", body("hello"));
    expect(inspect(request)).toMatch(/^Request \{\n\s+method: 'POST',\n\s+url: 'http:\/\/h\/p'/);
    expect(inspect(headersView(FIELDS))).toBe("Headers { host: 'h', 'x-a': '1' }");
    expect(request.constructor).toBe(Request);
  });

  it("new Request(request) is a real copy, body included", async () => {
    const copy = new Request(lazyRequest(head(), "http://h/p", body("hello")));
    expect([copy.method, copy.url, copy.headers.get("x-a"), await copy.text()]).toEqual([
      "POST",
      "http://h/p",
      "1",
      "hello",
    ]);
  });

  it("new Request(request, init) takes the init over it", async () => {
    const copy = new Request(lazyRequest(head(), "http://h/p", body("hello")), { method: "PUT" });
    expect([copy.method, await copy.text()]).toEqual(["PUT", "hello"]);
  });

  it("after inspection the request still reads its body once", async () => {
    const request = lazyRequest(head(), "http://h/p", body("hello"));
    inspect(request);
    expect(await request.text()).toBe("hello");
    await expect(request.text()).rejects.toThrow(TypeError);
  });
});
