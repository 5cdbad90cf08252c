import { chooseEncoding, type Coding } from "../http/negotiation/accept-encoding.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import { type FileBody, type HttpResponse, sameFieldName } from "../http/response.ts";
import type { FileResolution, Representation } from "./resolution.ts";
import { contentTypeFor } from "./mime.ts";
import { multipartByteranges } from "./multipart.ts";
import { type ByteRange, contentRange, parseRange, unsatisfiedRange } from "./ranges.ts";
import { evaluatePreconditions, ifRangeAllows, type Validators, validatorsFor } from "./validators.ts";
import type { CompressCoding, Compressor } from "../ports/compress.ts";
import type { FileInfo } from "../ports/file-system.ts";
import { errorResponse } from "../http/error-page.ts";

type Fields = ReadonlyArray<readonly [string, string]>;

/** --compress encodes files of these sizes (smaller gain little; larger are not held in memory). */
const COMPRESS_MIN = 1024;
const COMPRESS_MAX = 1024 * 1024;
/** Media types worth compressing (text and text-like; images, video and fonts are compressed already). */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|wasm|manifest\+json)|image\/svg\+xml)/;
/** On-the-fly codings, best first. */
const ON_THE_FLY: readonly CompressCoding[] = ["br", "gzip"];

export interface FileFacts {
  readonly path: string;
  readonly info: FileInfo;
  /** The name its type comes from (the URL's last segment, or index.html). */
  readonly name: string;
  readonly body: Uint8Array | null;
  readonly siblings: ReadonlyArray<{ readonly coding: Coding; readonly path: string; readonly info: FileInfo }>;
  readonly compress: boolean;
  /** Cache-Control, when configured. */
  readonly cacheHeaders: Fields;
  /** How a file of the resolution is opened again to be sent (checked to be the same file, inside the root). */
  readonly opener: (path: string, info: FileInfo) => FileBody["open"];
}

/** Everything about a file that does not depend on the request, computed once per resolution. */
export function buildFileResolution(facts: FileFacts): FileResolution {
  const { path, info, body, siblings } = facts;
  const contentType = contentTypeFor(facts.name);
  const compressible = facts.compress && body !== null && COMPRESSIBLE.test(contentType) &&
    info.size >= COMPRESS_MIN && info.size <= COMPRESS_MAX;
  // RFC 9110 §12.5.5: a response whose content depends on Accept-Encoding says so.
  const varies = siblings.length > 0 || compressible;
  const common: Fields = [...facts.cacheHeaders, ...(varies ? [["Vary", "Accept-Encoding"] as const] : [])];
  const open = facts.opener(path, info);
  const identity = representation(
    null,
    validatorsFor(info),
    contentType,
    body ?? { kind: "file", open, start: 0, end: info.size },
    common,
  );
  return {
    kind: "file",
    path,
    info,
    open,
    contentType,
    body,
    identity,
    siblings: siblings.map((s) =>
      representation(s.coding, validatorsFor(s.info, s.coding), contentType, {
        kind: "file",
        open: facts.opener(s.path, s.info),
        start: 0,
        end: s.info.size,
      }, common)
    ),
    common,
    compressible,
    encoded: new Map(),
  };
}

function representation(
  coding: Coding | null,
  validators: Validators,
  contentType: string,
  body: Uint8Array | FileBody,
  common: Fields,
): Representation {
  const validatorFields: Fields = [["ETag", validators.etag], ["Last-Modified", validators.lastModified]];
  const encoding: Fields = coding === null ? [] : [["Content-Encoding", coding]];
  return {
    coding,
    validators,
    response: {
      status: 200,
      headers: [["Content-Type", contentType], ...encoding, ["Accept-Ranges", "bytes"], ...validatorFields, ...common],
      body,
    },
    // RFC 9110 §15.4.5: a 304 carries the fields a 200 would have had for caching.
    notModified: { status: 304, headers: [...validatorFields, ...common], body: null },
  };
}

/**
 * Whether any precondition field (RFC 9110 §13.1) came: with none of them a file's 200 needs no
 * evaluation. (Any other If-* name changes nothing: the evaluation reads only these.)
 */
function isConditional(head: RequestHead): boolean {
  const f = head.fields;
  return f["if-match"] !== undefined || f["if-none-match"] !== undefined || f["if-modified-since"] !== undefined ||
    f["if-unmodified-since"] !== undefined || f["if-range"] !== undefined;
}

/** The response for a file: representation (RFC 9110 §12.5.3), preconditions (§13.2.2), ranges (§14). */
export function fileResponse(
  file: FileResolution,
  head: RequestHead,
  compressor: Compressor,
  now: number,
): HttpResponse | Promise<HttpResponse> {
  // §14.2: Range is defined for GET only (a singleton field: its first line); ranges are served
  // from the file as it is (never encoded).
  const range = head.method === "GET" ? head.fields.range : undefined;
  // RFC 9110 §12.5.3: Accept-Encoding is a list, so all its lines count (§5.3).
  const acceptEncoding = range === undefined && (file.siblings.length > 0 || file.compressible)
    ? head.fields["accept-encoding"]
    : undefined;
  if (acceptEncoding === undefined) {
    if (range === undefined && !isConditional(head)) return file.identity.response; // the hot path
    return answer(file, file.identity, head, range, now);
  }
  const available: Coding[] = file.siblings.map((s) => s.coding as Coding);
  if (file.compressible) { for (const c of ON_THE_FLY) if (!available.includes(c)) available.push(c); }
  const coding = chooseEncoding(acceptEncoding, available);
  if (coding === null) return answer(file, file.identity, head, range, now);
  const sibling = file.siblings.find((s) => s.coding === coding);
  if (sibling !== undefined) return answer(file, sibling, head, range, now);
  const ready = encoded(file, coding as CompressCoding, compressor);
  if (!(ready instanceof Promise)) return answer(file, ready ?? file.identity, head, range, now);
  return ready.then((rep) => answer(file, rep ?? file.identity, head, range, now));
}

function answer(
  file: FileResolution,
  rep: Representation,
  head: RequestHead,
  range: string | undefined,
  now: number,
): HttpResponse {
  const precondition = evaluatePreconditions(head, rep.validators);
  if (precondition === "failed") return errorResponse(412);
  if (precondition === "not-modified") return rep.notModified;
  // §8.8.2.2: Last-Modified is a strong validator only a second after the modification.
  const dateIsStrong = now - file.info.mtimeMs >= 1000;
  if (range === undefined || rep.coding !== null || !ifRangeAllows(head, rep.validators, dateIsStrong)) {
    return rep.response;
  }
  const size = file.info.size;
  const outcome = parseRange(range, size);
  switch (outcome.kind) {
    case "ignore":
      return rep.response;
    case "unsatisfiable":
      // §15.5.17: 416 says how long the representation is.
      return errorResponse(416, [["Content-Range", unsatisfiedRange(size)]]);
    case "ranges":
      return partial(file, rep, outcome.ranges);
  }
}

/** 206 (RFC 9110 §15.3.7): one range as it is, several as multipart/byteranges. */
function partial(file: FileResolution, rep: Representation, ranges: readonly ByteRange[]): HttpResponse {
  const size = file.info.size;
  // The 200's fields other than Content-Type (and Content-Length, which the connection adds).
  const fields = rep.response.headers.filter(([name]) => !sameFieldName(name, "content-type"));
  if (ranges.length === 1) {
    const range = ranges[0]!;
    return {
      status: 206,
      headers: [["Content-Type", file.contentType], ["Content-Range", contentRange(range, size)], ...fields],
      body: slice(file, range),
    };
  }
  const plan = multipartByteranges(ranges, size, file.contentType, boundaryFor(file));
  const pieces = plan.pieces.map((p) => (p instanceof Uint8Array ? p : slice(file, p)));
  return {
    status: 206,
    headers: [["Content-Type", plan.contentType], ...fields],
    body: { kind: "parts", pieces, length: plan.length },
  };
}

function slice(file: FileResolution, range: ByteRange): Uint8Array | FileBody {
  if (file.body !== null) return file.body.subarray(range.start, range.end);
  return { kind: "file", open: file.open, start: range.start, end: range.end };
}

let boundaries = 0;

/** A boundary unlikely to occur in the content (RFC 2046 §5.1.1: up to 70 characters). */
function boundaryFor(file: FileResolution): string {
  const salt = Math.floor(file.info.mtimeMs).toString(36) + (boundaries++).toString(36);
  const random = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  return `sundial-${salt}-${random}`;
}

/** The file encoded in memory once per resolution (a promise until it is ready); null when it would not be smaller. */
function encoded(
  file: FileResolution,
  coding: CompressCoding,
  compressor: Compressor,
): Promise<Representation | null> | Representation | null {
  const known = file.encoded.get(coding);
  if (known !== undefined) return known;
  const pending = compressor.compress(file.body!, coding).then((bytes) => {
    const rep = bytes === null || bytes.length >= file.info.size
      ? null
      : representation(coding, validatorsFor(file.info, coding, "weak"), file.contentType, bytes, file.common);
    // Later requests take it synchronously.
    file.encoded.set(coding, rep);
    return rep;
  });
  file.encoded.set(coding, pending);
  return pending;
}
