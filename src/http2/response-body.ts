import { type HttpResponse, statusForbidsBody } from "../http/response.ts";
import { type BodySource, BytesSource, type SourceHooks } from "./body-source.ts";
import { FileSource } from "./file-source.ts";
import { PartsSource } from "./parts-source.ts";
import { PullSource, StreamSource } from "./pulled-source.ts";

/** What a response's body needs of the connection's options. */
export interface SourceOptions {
  readonly fileChunkBytes: number;
  readonly maxStreamBodyQueue: number;
}

/**
 * The source a response's body is sent from, or null when its HEADERS end the stream: no body
 * for HEAD (RFC 9110 §9.3.2), 1xx, 204 and 304 (§6.4.1), nor for an empty one of known length.
 * A pulled body that will not be sent is cancelled, and a streamed one never started.
 */
export function sourceFor(
  response: HttpResponse,
  isHead: boolean,
  options: SourceOptions,
  hooks: SourceHooks,
): BodySource | null {
  const body = response.body;
  if (body === null) return null;
  if (isHead || statusForbidsBody(response.status)) {
    if (!(body instanceof Uint8Array) && body.kind === "pull") body.cancel();
    return null;
  }
  if (body instanceof Uint8Array) return body.length === 0 ? null : new BytesSource(body);
  switch (body.kind) {
    case "file":
      return body.end <= body.start ? null : new FileSource(body, options.fileChunkBytes, hooks);
    case "parts":
      return body.length === 0 ? null : new PartsSource(body, options.fileChunkBytes, hooks);
    case "pull":
      return new PullSource(body, hooks);
    case "stream":
      return new StreamSource(body, options.maxStreamBodyQueue, hooks);
  }
}
