/**
 * Run with `deno run -A`: makes a self-signed certificate with sundial's core on Deno's
 * WebCrypto, serves TLS with it through Deno.listenTls, prints one JSON line (port, certificate,
 * fingerprint) and answers each connection with one HTTP response. Exits by itself after
 * LIFETIME_MS in case the test that started it could not stop it.
 */
import { createSelfSignedCertificate } from "../../../../src/tls/self-signed/certificate.ts";

/** The part of Deno's namespace used here (this file is type-checked with Node's types, not Deno's). */
interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
}
interface DenoGlobal {
  listenTls(
    options: { hostname: string; port: number; cert: string; key: string },
  ): AsyncIterable<DenoConn> & { addr: { port: number } };
  exit(code: number): never;
}
const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;

const LIFETIME_MS = 20_000;
setTimeout(() => deno.exit(3), LIFETIME_MS);

const result = await createSelfSignedCertificate({ hosts: ["localhost", "127.0.0.1", "::1"], now: new Date() });
if (result.kind !== "ok") throw new Error(result.message);
const { certPem, keyPem, fingerprintSha256 } = result.certificate;
const listener = deno.listenTls({ hostname: "127.0.0.1", port: 0, cert: certPem, key: keyPem });
console.log(JSON.stringify({ port: listener.addr.port, certPem, fingerprintSha256 }));

const RESPONSE = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\ndeno\n");

async function answer(conn: DenoConn): Promise<void> {
  try {
    await conn.read(new Uint8Array(4096)); // the handshake, then the request
    for (let sent = 0; sent < RESPONSE.length;) sent += await conn.write(RESPONSE.subarray(sent));
  } catch (error) {
    console.error(String(error));
  } finally {
    conn.close();
  }
}

for await (const conn of listener) void answer(conn);
