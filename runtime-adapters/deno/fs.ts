/**
 * Deno implements node:fs with real descriptors, while Deno.FsFile hides its descriptor: the
 * core must check the opened file's own path (/proc/self/fd/N), so the Deno adapter shares the
 * node:fs file system, as the Bun adapter does.
 */
export { nodeFileSystem as denoFileSystem } from "../node/fs.ts";
