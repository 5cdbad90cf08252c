// The fetch path's steps, timed one at a time (ns per request; sequential, best of 5 runs of 50,000):
// where a request's time goes on each runtime, beside the profiles.
//   bun bench/apps/steps.ts
//   deno run --allow-all bench/apps/steps.ts
//   bun build bench/apps/steps.ts --target=node --outfile=dist/bench/app-steps.mjs && node dist/bench/app-steps.mjs
import honoApp from "../../examples/hono-app/app.ts";
import type { RequestHead } from "../../src/http/parser/request-head.ts";
import { requestFields } from "../../src/http/request-fields.ts";
import { lazyRequest, requestUrl } from "../../src/fetch/request.ts";
import { toHttpResponse } from "../../src/fetch/response.ts";

const RUNS = 5;
const N = 50_000;

function head(target: string): RequestHead {
  return {
    method: "GET",
    target,
    version: "1.1",
    host: "127.0.0.1:8080",
    keepAlive: true,
    expectContinue: false,
    body: { kind: "none" },
    headers: [["host", "127.0.0.1:8080"], ["user-agent", "wrk"]],
    fields: requestFields([["host", "127.0.0.1:8080"], ["user-agent", "wrk"]]),
  };
}

async function time(label: string, op: () => unknown): Promise<void> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const began = performance.now();
    for (let i = 0; i < N; i++) {
      const result = op();
      if (result instanceof Promise) await result;
    }
    best = Math.min(best, ((performance.now() - began) * 1e6) / N);
  }
  console.log(`${label.padEnd(64)} ${best.toFixed(0).padStart(7)} ns`);
}

function turns(n: number): Promise<unknown> {
  let p: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < n; i++) p = p.then(() => {});
  return p;
}

const runtime = "Deno" in globalThis ? "Deno" : "Bun" in globalThis ? "Bun" : `Node ${process.version}`;
const hello = "Hello, world!";
const json = head("/users/42/posts/7");
const lazy = (h: RequestHead): Request => lazyRequest(h, requestUrl(h, "http", "localhost"), null);

console.log(`fetch path steps on ${runtime}`);
await time("hello: new Response(string)", () => new Response(hello));
await time("hello: new Response(string).body (its stream made)", () => new Response(hello).body);
await time("hello: new Response(string).body.getReader().read()", () => new Response(hello).body!.getReader().read());
await time("hello: new Response(string).arrayBuffer()", () => new Response(hello).arrayBuffer());
await time("hello: new Response(string).clone() (the Content-Type probe)", () => new Response(hello).clone());
await time("hello: toHttpResponse(new Response(string)) (sundial)", () => toHttpResponse(new Response(hello)));
await time("Promise.race([resolved, 4 microtask turns])", () => Promise.race([Promise.resolve(1), turns(4)]));
await time("lazyRequest(head, requestUrl(head))", () => lazy(head("/")));
await time("hono-json: app.fetch(lazy request)", () => honoApp.fetch(lazy(json)));
await time(
  "hono-json: app.fetch(new Request(url))",
  () => honoApp.fetch(new Request("http://127.0.0.1:8080/users/42/posts/7")),
);
await time(
  "hono-json: toHttpResponse(await app.fetch(lazy request)) (sundial)",
  async () => toHttpResponse(await honoApp.fetch(lazy(json))),
);
