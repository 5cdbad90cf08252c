import { describe, expect, it } from "vitest";
import { toHttpResponse } from "../../../src/fetch/response.ts";
import type { HttpResponse, PullBody, PullRead } from "../../../src/http/response.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

async function drain(body: PullBody): Promise<{ text: string; last: PullRead }> {
  let out = "";
  for (;;) {
    const read = await body.read();
    if (read.kind !== "data") return { text: out, last: read };
    out += text(read.bytes);
  }
}

function pulled(response: HttpResponse): PullBody {
  const body = response.body;
  if (body === null || body instanceof Uint8Array || body.kind !== "pull") {
    throw new Error(`not a pulled body: ${String(body)}`);
  }
  return body;
}

describe("toHttpResponse: a fetch Response as the core's HttpResponse", () => {
  it("a body that is ready (string, bytes, JSON, form, Blob) goes whole, for a Content-Length", async () => {
    for (
      const [response, expected] of [
        [new Response("hello"), "hello"],
        [new Response(new Uint8Array([104, 105])), "hi"],
        [Response.json({ a: 1 }), '{"a":1}'],
        [new Response(new URLSearchParams("a=1&b=2")), "a=1&b=2"],
        [new Response(new Blob(["bl", "ob"])), "blob"],
      ] as const
    ) {
      const http = await toHttpResponse(response);
      expect(http.body instanceof Uint8Array).toBe(true);
      expect(text(http.body as Uint8Array)).toBe(expected);
    }
  });

  it("a FormData body with a file part is ready too (its reads take many microtask turns on Node and Deno)", async () => {
    const form = new FormData();
    form.set("name", "sundial");
    form.set("file", new Blob(["file contents"]), "a.txt");
    const http = await toHttpResponse(new Response(form));
    expect(http.body instanceof Uint8Array).toBe(true);
    expect(text(http.body as Uint8Array)).toContain("file contents");
  });

  it("keeps status and fields, each Set-Cookie apart, and drops what the server frames itself", async () => {
    const headers = new Headers({
      connection: "close",
      "keep-alive": "timeout=5",
      "transfer-encoding": "chunked",
      "content-length": "99",
      upgrade: "x",
      te: "trailers",
      trailer: "x",
      date: "yesterday",
      server: "other",
      "x-app": "1",
    });
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    const http = await toHttpResponse(new Response("body", { status: 201, headers }));
    expect(http.status).toBe(201);
    const names = http.headers.map(([n]) => n);
    for (
      const dropped of [
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "upgrade",
        "te",
        "trailer",
        "date",
        "server",
      ]
    ) expect(names).not.toContain(dropped);
    expect(http.headers.filter(([n]) => n === "set-cookie").map(([, v]) => v)).toEqual(["a=1", "b=2"]);
    expect(http.headers).toContainEqual(["x-app", "1"]);
    expect(http.headers.some(([n, v]) => n === "content-type" && /^text\/plain/i.test(v))).toBe(true);
  });

  it("an event stream gets X-Accel-Buffering: no (nginx then passes each event on), unless the app set it", async () => {
    const sse = await toHttpResponse(new Response("data: 1\n\n", { headers: { "content-type": "text/event-stream" } }));
    expect(sse.headers).toContainEqual(["x-accel-buffering", "no"]);
    const own = await toHttpResponse(
      new Response("data: 1\n\n", { headers: { "content-type": "text/event-stream", "x-accel-buffering": "yes" } }),
    );
    expect(own.headers.filter(([n]) => n === "x-accel-buffering")).toEqual([["x-accel-buffering", "yes"]]);
    const plain = await toHttpResponse(new Response("x"));
    expect(plain.headers.some(([n]) => n === "x-accel-buffering")).toBe(false);
  });

  it("null-body statuses and a null body carry none; a plain null body is empty", async () => {
    expect((await toHttpResponse(new Response(null, { status: 204 }))).body).toBeNull();
    expect((await toHttpResponse(new Response(null, { status: 304 }))).body).toBeNull();
    expect((await toHttpResponse(new Response(null))).body).toEqual(new Uint8Array(0));
  });

  it("a body still being produced is pulled: what was ready first, then each piece as asked, with the app's Content-Length if it gave one", async () => {
    let push: (s: string) => void = () => {};
    let close: () => void = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("first "));
        push = (s) => controller.enqueue(new TextEncoder().encode(s));
        close = () => controller.close();
      },
    });
    const http = await toHttpResponse(new Response(stream, { headers: { "content-length": "12" } }));
    const body = pulled(http);
    expect(body.length).toBe(12);
    setTimeout(() => {
      push("second");
      close();
    }, 20);
    expect(await drain(body)).toEqual({ text: "first second", last: { kind: "end" } });
  });

  it("a stream that fails after the head is a failed read, not an exception", async () => {
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode("part"));
        await new Promise((r) => setTimeout(r, 20));
        controller.error(new Error("broken"));
      },
    });
    const { text: got, last } = await drain(pulled(await toHttpResponse(new Response(stream))));
    expect(got).toBe("part");
    expect(last.kind).toBe("failed");
  });

  it("more than the read-ahead ready is pulled, not held whole", async () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    const http = await toHttpResponse(
      new Response(
        new ReadableStream({
          start(c) {
            for (let i = 0; i < 3; i++) c.enqueue(big.subarray(i * 1048576, (i + 1) * 1048576));
            c.close();
          },
        }),
      ),
    );
    const body = pulled(http);
    let total = 0;
    for (let read = await body.read(); read.kind === "data"; read = await body.read()) total += read.bytes.length;
    expect(total).toBe(big.length);
  });

  it("a body produced as it is read is read at most 64 KiB ahead of the head (a slow client holds no more)", async () => {
    let made = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        made++;
        controller.enqueue(new Uint8Array(4096));
      },
    }, { highWaterMark: 0 });
    const body = pulled(await toHttpResponse(new Response(stream)));
    expect(made).toBe(16);
    expect(body.length).toBeNull();
    body.cancel();
  });

  it("an in-memory body larger than the read-ahead still goes whole: its stream has closed when the read-ahead is reached", async () => {
    const text200k = "x".repeat(200_000);
    for (
      const response of [
        new Response(text200k),
        new Response(new TextEncoder().encode(text200k)),
        Response.json({ text200k }),
      ]
    ) {
      const http = await toHttpResponse(response);
      expect(http.body instanceof Uint8Array).toBe(true);
      expect((http.body as Uint8Array).length).toBeGreaterThanOrEqual(200_000);
    }
  });
});
