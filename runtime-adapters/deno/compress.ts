/** Deno's node:zlib does brotli and gzip; the web CompressionStream has no brotli. */
export { nodeCompressor as denoCompressor } from "../node/compress.ts";
