import type { HeldBody } from "../../src/ports/held-body.ts";

/**
 * Deno keeps a string body (new Response("text"), Response.json) in a slot of its own until the
 * body's stream is made or the body is read, and clears it then: the slot Deno.serve's fast path
 * reads. Found once by its description on a sample and checked on two samples (a body in memory
 * is found, the same body after its stream was made is not), so that a Deno that keeps it
 * otherwise gets no HeldBody and the stream is read, as everywhere else.
 */
function lazyStaticBody(): HeldBody | undefined {
  const sample = new Response("sundial");
  const slot = Object.getOwnPropertySymbols(sample).find((s) => s.description === "lazy static body");
  if (slot === undefined) return undefined;
  const encoder = new TextEncoder();
  const held: HeldBody = (response) => {
    const value: unknown = (response as unknown as Record<symbol, unknown>)[slot];
    return typeof value === "string" ? encoder.encode(value) : value instanceof Uint8Array ? value : null;
  };
  const found = held(sample);
  const used = new Response("sundial");
  void used.body;
  return found !== null && new TextDecoder().decode(found) === "sundial" && held(used) === null ? held : undefined;
}

export const denoHeldBody: HeldBody | undefined = lazyStaticBody();
