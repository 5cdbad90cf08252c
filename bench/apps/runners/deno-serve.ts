// Deno's own server for fetch apps: Deno.serve. Usage: deno run --allow-all deno-serve.ts APP PORT
import { appFromArgs, type FetchApp } from "./apps.mjs";

/** The part of Deno's namespace used here (this file is type-checked with Node's types, not Deno's). */
interface DenoGlobal {
  readonly args: readonly string[];
  serve(options: { port: number; hostname: string; onListen?: () => void }, handler: FetchApp["fetch"]): unknown;
}
const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;

const { app, port } = await appFromArgs(deno.args);
deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
