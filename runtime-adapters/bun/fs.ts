/**
 * Bun implements node:fs natively, and its own Bun.file API cannot read into a caller's buffer
 * (slices allocate per read), so the Bun adapter shares the node:fs file system.
 */
export { nodeFileSystem as bunFileSystem } from "../node/fs.ts";
