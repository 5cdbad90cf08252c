/**
 * A runtime's way to take a fetch Response's body when it holds it in memory (a string or bytes
 * the Response was made with), without making the body's ReadableStream: making and reading that
 * stream is most of what answering a small Response costs (measured on Node 20 and Deno 2.9:
 * bench/apps/steps.ts). Null when the body is anything else (a stream, a Blob, FormData), was used
 * or locked, or the runtime does not say: the caller then reads the stream, as Fetch does.
 *
 * The Response is not marked used (Deno.serve and @hono/node-server take these bodies the same
 * way). Adapters that cannot tell leave it out.
 */
export type HeldBody = (response: Response) => Uint8Array | null;
