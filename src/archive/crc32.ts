/**
 * CRC-32 as zip uses it (PKWARE APPNOTE 6.3.10 §4.4.7; the polynomial of ISO 3309 / ITU-T V.42,
 * reflected 0xEDB88320), computed piece by piece while the content streams. Eight bytes a step
 * ("slicing-by-8", eight 256-entry tables): four to five times the speed of a byte at a time,
 * which a 2 GiB zip needs (about 70 MB/s before, the archive's slowest part).
 */

/** Table k (at k * 256) gives the CRC of a byte followed by k zero bytes. */
const TABLES: Uint32Array = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
})();

/** The running CRC after `bytes`; start with 0, the result of the last call is the CRC. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const t = TABLES;
  let c = ~previous >>> 0;
  let i = 0;
  for (const end = bytes.length - 8; i <= end; i += 8) {
    const low = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c = t[7 * 256 + (low & 0xff)]! ^ t[6 * 256 + ((low >>> 8) & 0xff)]! ^ t[5 * 256 + ((low >>> 16) & 0xff)]! ^
      t[4 * 256 + (low >>> 24)]! ^ t[3 * 256 + bytes[i + 4]!]! ^ t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^ t[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
