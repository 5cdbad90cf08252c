/** Below 0x80, UTF-8 and latin1 agree: ASCII runs are made strings by the runtime's decoder. */
const ASCII = new TextDecoder();

/** Up to this length a loop of fromCharCode beats a call into TextDecoder (measured on V8 and JSC). */
const SHORT = 16;

/**
 * Octets [start, end) as a string, each octet one char (U+0000 to U+00FF): HTTP field values are
 * octets (RFC 9110 §5.5), so nothing is decoded as UTF-8, and TextDecoder("latin1") will not do
 * (it is windows-1252, which maps 0x80 to 0x9f elsewhere). Short strings are built char by char;
 * longer ASCII ones by TextDecoder; others by fromCharCode in chunks.
 */
export function latin1String(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT) {
    let out = "";
    for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  for (let i = start; i < end; i++) {
    if (bytes[i]! >= 0x80) return fromCharCodes(bytes, start, end);
  }
  return ASCII.decode(bytes.subarray(start, end));
}

/** fromCharCode over chunks, so that no call gets more arguments than an engine allows. */
function fromCharCodes(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return out;
}
