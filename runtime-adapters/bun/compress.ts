/** Bun implements node:zlib natively (brotli included); the web CompressionStream has no brotli. */
export { nodeCompressor as bunCompressor } from "../node/compress.ts";
