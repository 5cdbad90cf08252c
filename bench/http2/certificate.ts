// The one certificate the HTTP/2 bench's TLS servers share: self-signed, EC P-256, for 127.0.0.1
// and localhost, made with the openssl command line in the bench's scratch folder.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { Certificate } from "./servers.ts";

export function makeCertificate(work: string): Certificate {
  const cert = path.join(work, "h2-cert.pem");
  const key = path.join(work, "h2-key.pem");
  execFileSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout",
    key,
    "-out",
    cert,
  ], { stdio: "pipe" });
  return { cert, key };
}
