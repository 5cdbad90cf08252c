/**
 * transport-host.ts in a child runtime: `deno run --allow-all transport-host-main.ts [cert key]`
 * or `bun run transport-host-main.ts [cert key]`. Listens with that runtime's adapter Transport
 * on a free port (TLS when given a certificate and key file), prints "port N" on stdout, and
 * runs until killed.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import type { Transport } from "../../src/ports/transport.ts";
import { startHost } from "./transport-host.ts";

/** The handshake deadline the TLS cases wait out. */
export const HANDSHAKE_TIMEOUT_MS = 500;

const runtime = "Deno" in globalThis ? "deno" : "bun";
// A computed specifier: tsc (Node's types) never resolves the adapter (Deno's or Bun's types).
const adapter = new URL(`../../runtime-adapters/${runtime}/transport.ts`, import.meta.url).href;
const module = (await import(adapter)) as Record<string, Transport>;
const transport = module[`${runtime}Transport`]!;
const [cert, key] = process.argv.slice(2);
const tls = cert === undefined || key === undefined ? undefined : {
  cert: readFileSync(cert, "utf8"),
  key: readFileSync(key, "utf8"),
  passphrase: null,
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
};
const host = await startHost(transport, tls);
console.log(`port ${host.port}`);
