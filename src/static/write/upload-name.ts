import { isTempName } from "./temp-name.ts";

/** NAME_MAX on Linux, macOS and NTFS (counted in bytes here: the strictest reading). */
const MAX_NAME_BYTES = 255;
/** NUL, the other C0 controls and DEL: never in a name the server makes. */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
/** Windows' reserved device names, with or without an extension (CON, con.txt, COM1, LPT9.log). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Characters Windows refuses in a name (":" would name an alternate data stream). */
const WINDOWS_CHARS = /[<>:"|?*]/;

/**
 * Whether a name the client chose (a multipart file name, the new folder's name) may become an
 * entry of the folder posted to: null, or the status refusing it. It must be one path segment,
 * taken as it is (never reduced to its last segment: `../../x` is refused, not stored as `x`):
 * not empty, `.` or `..`; no `/`, no `\` (a Windows path), no NUL or control character; at most
 * 255 bytes of UTF-8; 400 otherwise. A hidden name (leading `.`) is 403 unless --dotfiles, and
 * the server's temporary names always (403). Where the file system is Windows' (separator `\`),
 * its reserved device names, the characters it refuses and a trailing dot or space are 400 too.
 */
export function nameRefusal(name: string, dotfiles: boolean, separator: string): number | null {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\\")) return 400;
  if (CONTROL.test(name) || new TextEncoder().encode(name).length > MAX_NAME_BYTES) return 400;
  if (separator === "\\" && windowsRefuses(name)) return 400;
  if (isTempName(name) || (!dotfiles && name.startsWith("."))) return 403;
  return null;
}

function windowsRefuses(name: string): boolean {
  return WINDOWS_DEVICE.test(name) || WINDOWS_CHARS.test(name) || name.endsWith(".") || name.endsWith(" ");
}
