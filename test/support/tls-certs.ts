import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Certificates made with the openssl CLI for the TLS tests: a root CA, a leaf it signed, and a chain file. */
export interface TestCertificates {
  readonly dir: string;
  /** The root CA (what clients trust: --cacert, -CAfile). */
  readonly caCert: string;
  /** The leaf for localhost, 127.0.0.1 and ::1, then the CA: what --tls-cert gets. */
  readonly chain: string;
  readonly key: string;
  /** The same key encrypted (AES-256, PKCS #8) with `passphrase`. */
  readonly encryptedKey: string;
  readonly passphrase: string;
  /** A second leaf and key (for reloads), signed by the same CA. */
  readonly chain2: string;
  readonly key2: string;
  remove(): void;
}

export function haveOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function makeCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-tls-"));
  const at = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=sundial test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
  );
  fs.writeFileSync(at("leaf.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n");
  for (const n of ["1", "2"]) {
    openssl("req", ...ec, "-keyout", `leaf${n}.key`, "-out", `leaf${n}.csr`, "-subj", `/CN=localhost ${n}`);
    openssl(
      "x509",
      "-req",
      "-in",
      `leaf${n}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "leaf.ext",
      "-out",
      `leaf${n}.pem`,
    );
    fs.writeFileSync(
      at(`chain${n}.pem`),
      fs.readFileSync(at(`leaf${n}.pem`), "utf8") + fs.readFileSync(at("ca.pem"), "utf8"),
    );
  }
  const passphrase = "correct horse";
  openssl(
    "pkcs8",
    "-topk8",
    "-in",
    "leaf1.key",
    "-v2",
    "aes-256-cbc",
    "-passout",
    `pass:${passphrase}`,
    "-out",
    "leaf1-encrypted.key",
  );
  return {
    dir,
    caCert: at("ca.pem"),
    chain: at("chain1.pem"),
    key: at("leaf1.key"),
    encryptedKey: at("leaf1-encrypted.key"),
    passphrase,
    chain2: at("chain2.pem"),
    key2: at("leaf2.key"),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
