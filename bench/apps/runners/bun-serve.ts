// Bun's own server for fetch apps: Bun.serve. Usage: bun bun-serve.ts APP PORT
import { appFromArgs, type FetchApp } from "./apps.mjs";

/** The part of Bun's namespace used here (this file is type-checked with Node's types, not Bun's). */
interface BunGlobal {
  serve(options: { port: number; hostname: string; fetch: FetchApp["fetch"] }): unknown;
}
const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;

const { app, port } = await appFromArgs(process.argv.slice(2));
bun.serve({ port, hostname: "127.0.0.1", fetch: app.fetch });
