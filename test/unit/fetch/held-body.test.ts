import { describe, expect, it } from "vitest";
import { heldHttpResponse } from "../../../src/fetch/response.ts";
import { nodeHeldBody } from "../../../runtime-adapters/node/held-body.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe("Node's HeldBody: a Response's body taken from undici's state, without its stream", () => {
  const held = nodeHeldBody!;

  it("is found on this Node", () => {
    expect(nodeHeldBody).toBeTypeOf("function");
  });

  it("takes string, bytes and JSON bodies", () => {
    expect(text(held(new Response("hello"))!)).toBe("hello");
    expect(text(held(new Response(new Uint8Array([104, 105])))!)).toBe("hi");
    expect(text(held(Response.json({ a: 1 }))!)).toBe('{"a":1}');
  });

  it("a copy of bytes: the app changing its array afterwards changes nothing sent", () => {
    const bytes = new Uint8Array([104, 105]);
    const response = new Response(bytes);
    const taken = held(response)!;
    bytes[0] = 0;
    expect(text(taken)).toBe("hi");
  });

  it("leaves streams, Blobs, FormData, used and locked bodies to the stream", async () => {
    expect(held(new Response(new ReadableStream()))).toBeNull();
    expect(held(new Response(new Blob(["x"])))).toBeNull();
    expect(held(new Response(null))).toBeNull();
    const used = new Response("x");
    await used.text();
    expect(held(used)).toBeNull();
    const locked = new Response("x");
    locked.body!.getReader();
    expect(held(locked)).toBeNull();
  });
});

describe("heldHttpResponse: a Response the runtime holds the body of, converted at once", () => {
  const held = (
    response: Response,
  ): Uint8Array | null => (response.headers.has("x-held") ? new Uint8Array([33]) : null);

  it("goes whole with the app's fields, no promise", () => {
    const response = new Response("!", { status: 201, headers: { "x-held": "1", "content-type": "text/x" } });
    const http = heldHttpResponse(response, held);
    expect(http).toEqual({
      status: 201,
      headers: [["content-type", "text/x"], ["x-held", "1"]],
      body: new Uint8Array([33]),
      once: true,
    });
  });

  it("is null when the runtime does not hold it, or the status forbids a body", () => {
    expect(heldHttpResponse(new Response("x"), held)).toBeNull();
    expect(heldHttpResponse(new Response(null, { status: 204, headers: { "x-held": "1" } }), held)).toBeNull();
    expect(heldHttpResponse(new Response(null, { status: 304, headers: { "x-held": "1" } }), held)).toBeNull();
  });
});
