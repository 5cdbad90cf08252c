import type { FileSystem } from "../ports/file-system.ts";
import { readFully } from "./read-fully.ts";

/** A small text file whole (certificates, keys), or why not: a value, never a throw. */
export async function readTextFile(
  fs: FileSystem,
  path: string,
  maxBytes: number,
): Promise<{ kind: "text"; text: string } | { kind: "failed"; message: string }> {
  const file = await fs.open(path);
  if (file === null) return { kind: "failed", message: `cannot read ${path} (missing, or no permission)` };
  try {
    const info = await file.stat();
    if (info === null || info.kind !== "file") return { kind: "failed", message: `${path} is not a file` };
    if (info.size > maxBytes) {
      return { kind: "failed", message: `${path} is ${info.size} bytes, more than the ${maxBytes} a PEM file needs` };
    }
    const bytes = new Uint8Array(info.size);
    const n = await readFully(file, bytes, 0);
    return { kind: "text", text: new TextDecoder().decode(bytes.subarray(0, n)) };
  } finally {
    await file.close();
  }
}
