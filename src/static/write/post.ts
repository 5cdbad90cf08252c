import { errorResponse } from "../../http/error-page.ts";
import { formDataType } from "../../http/multipart/boundary.ts";
import { type MultipartFailure, MultipartReader } from "../../http/multipart/reader.ts";
import { acceptsMediaType } from "../../http/negotiation/accept.ts";
import type { RequestHead } from "../../http/parser/request-head.ts";
import type { RequestBody } from "../../http/request-body.ts";
import { type HttpResponse, utf8 } from "../../http/response.ts";
import type { OpenFile } from "../../ports/file-system.ts";
import { encodeSegment } from "../url-path.ts";
import { commitFiles } from "./commit-files.ts";
import { openFolder } from "./folder.ts";
import { FormUpload, type Received } from "./form-upload.ts";
import { BoundedBody, type Refused, refused } from "./temp-file.ts";
import type { FolderTarget, WriteContext } from "./write-target.ts";

/** Bounds of one upload form: a part's header block, and the parts of one body. */
const LIMITS = { headerBytes: 8 * 1024, parts: 1000 };

/**
 * POST of a multipart/form-data body (RFC 7578) to a folder: its `file` parts become new files
 * there, and a `folder` field a new sub-folder, all or nothing. Each file streams into its own
 * temporary as it arrives (each read waits for the disk); nothing is committed before the close
 * delimiter was read and every part found valid (write/commit-files.ts), and a refusal at any
 * point removes every temporary. A POST never replaces anything (409). A browser's form submit
 * (Accept lists text/html) is sent back to the folder (303, RFC 9110 §15.4.4); any other client
 * gets 201 with the URL of each stored file, one a line.
 */
export async function post(
  ctx: WriteContext,
  target: FolderTarget,
  head: RequestHead,
  body: RequestBody | null,
): Promise<HttpResponse> {
  const type = formDataType(head.fields["content-type"]);
  // RFC 9110 §15.5.16: a POST here takes only a form's encoding.
  if (type.kind !== "form-data") return refuse(body, type.kind === "other" ? 415 : 400);
  const max = ctx.site.maxUpload ?? null;
  if (max !== null && body !== null && body.length !== null && body.length > max) return refuse(body, 413);
  const opened = await openFolder(ctx.root, target.segments, ctx.site.mkdir === true);
  if (opened.kind === "refused") return refuse(body, opened.status);
  const dir = opened.folder.file;
  try {
    const rules = { dotfiles: ctx.site.dotfiles, separator: ctx.root.separator, writer: ctx.writer };
    const upload = new FormUpload(dir, rules);
    const reader = new MultipartReader(type.boundary, LIMITS);
    const bounded = body === null ? null : new BoundedBody(body, max);
    const outcome = await receiveAndCommit(upload, reader, bounded, dir, ctx.changed).catch(
      // A port that rejects where it should have said "failed": still no temporary left behind.
      (): Refused => refused(500),
    );
    if (outcome !== null) {
      await upload.discardAll();
      return errorResponse(outcome.status);
    }
    ctx.changed();
    return answer(head, target.location, upload.files);
  } finally {
    await dir.close();
  }
}

async function receiveAndCommit(
  upload: FormUpload,
  reader: MultipartReader,
  body: BoundedBody | null,
  dir: OpenFile,
  changed: () => void,
): Promise<Refused | null> {
  const received = await receive(upload, reader, body);
  return received ?? await commitFiles(dir, upload.files, upload.folder, changed);
}

/** Reads the body to its end, handing each event to the upload; the first refusal stops it. */
async function receive(upload: FormUpload, reader: MultipartReader, body: BoundedBody | null): Promise<Refused | null> {
  if (body === null) return failureStatus(reader.finish());
  for (;;) {
    const piece = await body.read();
    if (piece.kind === "refused") return piece;
    if (piece.kind === "end") return failureStatus(reader.finish());
    const events = reader.push(piece.bytes);
    if (!Array.isArray(events)) return body.cancel(failureStatus(events)!.status);
    for (const event of events) {
      const taken = await upload.take(event);
      if (taken !== null) return body.cancel(taken.status);
    }
  }
}

/** Broken framing is 400; a part's headers or the number of parts past their bound, 413. */
function failureStatus(failure: MultipartFailure | null): Refused | null {
  if (failure === null) return null;
  return refused(failure.reason === "too-large" ? 413 : 400);
}

function answer(head: RequestHead, location: string, files: readonly Received[]): HttpResponse {
  if (acceptsMediaType(head.fields.accept, "text/html")) {
    return { status: 303, headers: [["Location", location]], body: null };
  }
  const lines = files.map((f) => `${location}${encodeSegment(f.name)}\n`).join("");
  return {
    status: 201,
    headers: [["Location", location], ["Content-Type", "text/plain; charset=utf-8"]],
    body: utf8(lines),
  };
}

/** A refusal before the body is read: the connection discards it, or closes after the answer. */
function refuse(body: RequestBody | null, status: number): HttpResponse {
  body?.cancel();
  return errorResponse(status);
}
