/** A `bun build --compile` executable runs from Bun's embedded file system (/$bunfs/ on POSIX, B:/~BUN/ on Windows). */
export const COMPILED = Bun.main.startsWith("/$bunfs/") || Bun.main.includes("~BUN");
