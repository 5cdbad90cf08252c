import type { FileInfo, OpenFile } from "../../ports/file-system.ts";
import { formPart } from "../../http/multipart/form-part.ts";
import type { MultipartEvent } from "../../http/multipart/reader.ts";
import { nameRefusal } from "./upload-name.ts";
import { append, createTemp, discard, type Refused, refused, seal, type Temp } from "./temp-file.ts";

/** A file part read whole: flushed under its temporary name, waiting for the commit. */
export interface Received {
  readonly name: string;
  readonly temp: Temp;
  readonly info: FileInfo;
}

/** A field other than a file: kept (the new folder's name) or only counted, bounded either way. */
interface Field {
  readonly kind: "field";
  readonly keep: boolean;
  readonly bytes: Uint8Array[];
  size: number;
}

/** The part being read. */
type Current =
  | { readonly kind: "none" }
  | { readonly kind: "file"; readonly name: string; readonly temp: Temp }
  /** A file input left empty: a browser sends an empty filename and no content. */
  | { readonly kind: "no-file" }
  | Field;

/** Bytes of one field that is not a file: past this, 413. */
export const MAX_FIELD_BYTES = 64 * 1024;

const NONE: Current = { kind: "none" };
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The parts of an upload form as they arrive (RFC 7578): each `file` part streams into a
 * temporary file of its own in the folder posted to, a `folder` field names a new sub-folder,
 * other fields are read and dropped. Nothing here is committed: every file waits, flushed, under
 * its temporary name until the whole body was read and found valid (write/commit-files.ts).
 */
export class FormUpload {
  readonly files: Received[] = [];
  /** The new folder's name, once its field was read (null: none asked for). */
  folder: string | null = null;
  private folderSeen = false;
  private current: Current = NONE;
  private readonly names = new Set<string>();

  constructor(
    private readonly dir: OpenFile,
    private readonly rules: { readonly dotfiles: boolean; readonly separator: string; readonly writer: number },
  ) {}

  /** Takes one event of the body: null, or the status refusing the whole request. */
  take(event: MultipartEvent): Promise<Refused | null> | Refused | null {
    switch (event.kind) {
      case "part":
        return this.begin(event.headers);
      case "data":
        return this.content(event.bytes);
      case "part-end":
        return this.end();
      case "end":
        return null;
    }
  }

  /** Every temporary removed: after a refusal, nothing of this request stays. */
  async discardAll(): Promise<void> {
    const current = this.current;
    this.current = NONE;
    if (current.kind === "file") await discard(this.dir, current.temp);
    for (const file of this.files) await discard(this.dir, file.temp);
  }

  private async begin(headers: Parameters<typeof formPart>[0]): Promise<Refused | null> {
    const part = formPart(headers);
    if (part.kind === "refused") return refused(400);
    if (part.name === "file") return await this.beginFile(part.filename);
    if (part.name === "folder" && this.folderSeen) return refused(400);
    this.folderSeen ||= part.name === "folder";
    this.current = { kind: "field", keep: part.name === "folder", bytes: [], size: 0 };
    return null;
  }

  /** A file's name is checked before a byte of it is stored: its rules, once per request, not taken. */
  private async beginFile(filename: string | null): Promise<Refused | null> {
    if (filename === null) return refused(400);
    if (filename === "") {
      this.current = { kind: "no-file" };
      return null;
    }
    const refusal = nameRefusal(filename, this.rules.dotfiles, this.rules.separator);
    if (refusal !== null) return refused(refusal);
    if (this.names.has(filename) || filename === this.folder) return refused(400);
    this.names.add(filename);
    // RFC 9110 §15.5.10: never over what is there. Checked again, atomically, by the commit.
    if ((await this.dir.entry(filename)) !== null) return refused(409);
    const temp = await createTemp(this.dir, filename, this.rules.writer);
    if (temp.kind === "refused") return temp;
    this.current = { kind: "file", name: filename, temp };
    return null;
  }

  private content(bytes: Uint8Array): Promise<Refused | null> | Refused | null {
    const current = this.current;
    if (current.kind === "file") return append(current.temp, bytes);
    // Content without a file name: nothing to store it as.
    if (current.kind !== "field") return refused(400);
    current.size += bytes.length;
    if (current.size > MAX_FIELD_BYTES) return refused(413);
    if (current.keep) current.bytes.push(bytes.slice());
    return null;
  }

  private async end(): Promise<Refused | null> {
    const current = this.current;
    this.current = NONE;
    if (current.kind === "file") return await this.sealFile(current.name, current.temp);
    if (current.kind === "field" && current.keep) return this.takeFolder(current.bytes);
    return null;
  }

  private async sealFile(name: string, temp: Temp): Promise<Refused | null> {
    const sealed = await seal(temp);
    if (sealed.kind === "refused") {
      await discard(this.dir, temp);
      return sealed;
    }
    // Flushed and closed now: a thousand parts never hold a thousand descriptors.
    await temp.file.close();
    this.files.push({ name, temp, info: sealed.info });
    return null;
  }

  /** The `folder` field: empty asks for none; else one segment, by the rules of a file name. */
  private takeFolder(pieces: Uint8Array[]): Refused | null {
    let name: string;
    try {
      name = decoder.decode(join(pieces));
    } catch {
      return refused(400);
    }
    if (name === "") return null;
    const refusal = nameRefusal(name, this.rules.dotfiles, this.rules.separator);
    if (refusal !== null) return refused(refusal);
    // A file of the same request by that name: two entries cannot share it.
    if (this.names.has(name)) return refused(400);
    this.folder = name;
    return null;
  }
}

function join(pieces: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) whole.set(piece, at), at += piece.length;
  return whole;
}
