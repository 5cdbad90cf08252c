import type { HeldBody } from "../../src/ports/held-body.ts";

/** The part of undici's Response state read here: the body's source (what it was made from) and stream. */
interface BodyState {
  readonly source: unknown;
  readonly stream: ReadableStream | null;
}

/**
 * Node's Response (undici) keeps what a body was made from beside its stream, in its state slot
 * (`Symbol(state)`): a string, or bytes for Uint8Array and Response.json bodies. @hono/node-server
 * answers from the same slot. Taken only while the stream is neither read nor locked. Found once
 * on a sample and checked (a string body is found, a stream body is not), so that a Node that
 * keeps it otherwise gets no HeldBody and the stream is read, as everywhere else.
 */
function undiciSource(): HeldBody | undefined {
  const sample = new Response("sundial");
  const slot = Object.getOwnPropertySymbols(sample).find((s) => s.description === "state");
  if (slot === undefined) return undefined;
  const encoder = new TextEncoder();
  const held: HeldBody = (response) => {
    const body = (response as unknown as Record<symbol, { body?: BodyState | null } | undefined>)[slot]?.body;
    if (body == null || response.bodyUsed || body.stream?.locked === true) return null;
    const source = body.source;
    // A copy of bytes: the app may still change the array it gave (the stream reads a copy too).
    return typeof source === "string" ? encoder.encode(source) : source instanceof Uint8Array ? source.slice() : null;
  };
  const found = held(sample);
  const streamed = held(new Response(new ReadableStream()));
  return found !== null && new TextDecoder().decode(found) === "sundial" && streamed === null ? held : undefined;
}

export const nodeHeldBody: HeldBody | undefined = undiciSource();
