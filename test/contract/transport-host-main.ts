/**
 * transport-host.ts in a child runtime: `deno run --allow-all transport-host-main.ts [cert key
 * [cert key]...]` or `bun run transport-host-main.ts [...]`. Listens with that runtime's adapter
 * Transport on a free port (TLS with the first certificate chain and key file; the next pairs
 * are what "reload id n" gives setTls), prints "port N" on stdout, and runs until killed.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import type { TlsCredentials, Transport } from "../../src/ports/transport.ts";
import { startHost } from "./transport-host.ts";

/** The handshake deadline the TLS cases wait out (transport-subjects.ts has the same). */
const HANDSHAKE_TIMEOUT_MS = 500;

/** Credentials from pairs of file names: a certificate chain, then its key. */
function pairs(files: readonly string[]): TlsCredentials[] {
  const out: TlsCredentials[] = [];
  for (let i = 0; i + 1 < files.length; i += 2) {
    out.push({ cert: readFileSync(files[i]!, "utf8"), key: readFileSync(files[i + 1]!, "utf8"), passphrase: null });
  }
  return out;
}

const runtime = "Deno" in globalThis ? "deno" : "bun";
// A computed specifier: tsc (Node's types) never resolves the adapter (Deno's or Bun's types).
const adapter = new URL(`../../runtime-adapters/${runtime}/transport.ts`, import.meta.url).href;
const module = (await import(adapter)) as Record<string, Transport>;
const transport = module[`${runtime}Transport`]!;
const [first, ...reloads] = pairs(process.argv.slice(2));
const tls = first === undefined ? undefined : { ...first, handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS };
const host = await startHost(transport, tls, reloads);
console.log(`port ${host.port}`);
