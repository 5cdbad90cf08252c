// Bun's own server with the bench's echo app (echo-app.mjs), unchanged. Usage: bun bun-serve.ts PORT

/** The part of Bun's namespace used here (this file is type-checked with Node's types, not Bun's). */
interface BunGlobal {
  serve(options: object): unknown;
}
const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
/** A computed specifier: the app is plain JavaScript, without types. */
const specifier = "./echo-app.mjs";
const app = ((await import(specifier)) as { default: object }).default;
bun.serve({ ...app, port: Number(process.argv[2]), hostname: "127.0.0.1" });
export {};
