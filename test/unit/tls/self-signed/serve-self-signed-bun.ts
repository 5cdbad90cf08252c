/**
 * Run with `bun`: makes a self-signed certificate with sundial's core on Bun's WebCrypto, serves
 * TLS with it through Bun.listen (raw TCP, as sundial's Bun adapter listens), prints one JSON line
 * (port, certificate, fingerprint) and answers each connection with one HTTP response. Exits by
 * itself after LIFETIME_MS in case the test that started it could not stop it.
 */
import { createSelfSignedCertificate } from "../../../../src/tls/self-signed/certificate.ts";

/** The part of Bun's namespace used here (this file is type-checked with Node's types, not Bun's). */
interface BunSocket {
  end(data: Uint8Array): void;
}
interface BunGlobal {
  listen(options: {
    hostname: string;
    port: number;
    tls: { cert: string; key: string };
    socket: { data(socket: BunSocket, chunk: Uint8Array): void; error?(socket: BunSocket, error: Error): void };
  }): { port: number };
}
const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;

const LIFETIME_MS = 20_000;
setTimeout(() => process.exit(3), LIFETIME_MS);

const result = await createSelfSignedCertificate({ hosts: ["localhost", "127.0.0.1", "::1"], now: new Date() });
if (result.kind !== "ok") throw new Error(result.message);
const { certPem, keyPem, fingerprintSha256 } = result.certificate;

const RESPONSE = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbun\n");

const listener = bun.listen({
  hostname: "127.0.0.1",
  port: 0,
  tls: { cert: certPem, key: keyPem },
  socket: {
    data: (socket) => socket.end(RESPONSE),
    error: (_socket, error) => console.error(String(error)),
  },
});
console.log(JSON.stringify({ port: listener.port, certPem, fingerprintSha256 }));
