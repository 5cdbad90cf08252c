/**
 * CRC-32 as zip uses it (PKWARE APPNOTE 6.3.10 §4.4.7; the polynomial of ISO 3309 / ITU-T V.42,
 * reflected 0xEDB88320), computed piece by piece while the content streams.
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The running CRC after `bytes`; start with 0, the result of the last call is the CRC. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
