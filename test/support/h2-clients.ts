/**
 * Real HTTP/2 clients, for interop tests: curl (`--http2-prior-knowledge` over h2c, `--http2`
 * over TLS; Debian's curl), nghttp (Debian's nghttp2-client), Node's node:http2 and Python's h2
 * (Debian's python3-h2, through h2-get.py). Each GETs a path and says what came back: status,
 * fields, body and the protocol the connection used ("h2" over TLS by ALPN, "h2c" with prior
 * knowledge). A tool that is missing says why, for a skip.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http2 from "node:http2";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Field } from "./h2-events.ts";
import type { H2Endpoint } from "./h2-raw.ts";

export interface ClientResponse {
  readonly status: number;
  /** Names in lowercase, pseudo-header fields left out. */
  readonly headers: readonly Field[];
  readonly body: Buffer;
  /** "h2" (TLS, ALPN) or "h2c" (cleartext), as the client reports it. */
  readonly protocol: string;
}

export interface H2ClientTool {
  readonly name: string;
  /** Why the tool cannot run here, or null. */
  missing(): string | null;
  get(endpoint: H2Endpoint, path: string): Promise<ClientResponse>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_S = 10;

function url(endpoint: H2Endpoint, target: string): string {
  return `${endpoint.tls ? "https" : "http"}://${endpoint.host}:${endpoint.port}${target}`;
}

/** Runs a command to its end: stdout as bytes, stderr as text; rejects on a non-zero exit. */
function run(command: string, args: readonly string[]): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { encoding: "buffer", timeout: (TIMEOUT_S + 5) * 1000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`${command} ${args.join(" ")}: ${error.message} ${stderr.toString()}`));
        else resolve({ stdout, stderr: stderr.toString() });
      },
    );
  });
}

function whichMissing(command: string, args: readonly string[], why: string): string | null {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0 ? null : why;
}

/** A temporary folder for a client's files (the CA, headers, HAR), removed after fn. */
async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-h2-client-"));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function writeCa(dir: string, endpoint: H2Endpoint): string {
  const file = path.join(dir, "ca.pem");
  fs.writeFileSync(file, endpoint.ca ?? "");
  return file;
}

/** curl: the head it wrote with -D (its first line "HTTP/2 200"), the body, %{http_version}. */
export const CURL: H2ClientTool = {
  name: "curl",
  missing: () => whichMissing("curl", ["--version"], "curl is missing (Debian's curl)"),
  get: (endpoint, target) =>
    inTemp(async (dir) => {
      const head = path.join(dir, "head");
      const tlsArgs = endpoint.tls ? ["--http2", "--cacert", writeCa(dir, endpoint)] : ["--http2-prior-knowledge"];
      const { stdout } = await run("curl", [
        "-sS",
        ...tlsArgs,
        "--max-time",
        String(TIMEOUT_S),
        "-D",
        head,
        "-o",
        path.join(dir, "body"),
        "-w",
        "%{http_version}",
        url(endpoint, target),
      ]);
      const lines = fs.readFileSync(head, "latin1").split("\r\n").filter((l) => l !== "");
      const status = Number(/^HTTP\/\S+ (\d{3})/.exec(lines[0] ?? "")?.[1]);
      const headers = lines.slice(1).map((l) => {
        const colon = l.indexOf(":");
        return [l.slice(0, colon).toLowerCase(), l.slice(colon + 1).trim()] as const;
      });
      const version = stdout.toString().trim();
      return {
        status,
        headers,
        body: fs.readFileSync(path.join(dir, "body")),
        protocol: version === "2" ? (endpoint.tls ? "h2" : "h2c") : `HTTP/${version}`,
      };
    }),
};

interface Har {
  log: {
    entries: Array<
      { response: { status: number; httpVersion: string; headers: Array<{ name: string; value: string }> } }
    >;
  };
}

/** nghttp: the body on stdout, status and fields from its HAR (-r); h2c with prior knowledge for http URLs. */
export const NGHTTP: H2ClientTool = {
  name: "nghttp",
  missing: () => whichMissing("nghttp", ["--version"], "nghttp is missing (Debian's nghttp2-client)"),
  get: (endpoint, target) =>
    inTemp(async (dir) => {
      const har = path.join(dir, "har.json");
      // nghttp has no option for a CA: it warns on an unverified certificate, and -y hushes that.
      const { stdout } = await run("nghttp", ["-t", `${TIMEOUT_S}`, "-y", "-r", har, url(endpoint, target)]);
      const entry = (JSON.parse(fs.readFileSync(har, "utf8")) as Har).log.entries[0]!;
      return {
        status: entry.response.status,
        headers: entry.response.headers.filter((h) => !h.name.startsWith(":")).map((h) =>
          [h.name.toLowerCase(), h.value] as const
        ),
        body: stdout,
        protocol: entry.response.httpVersion === "HTTP/2.0" || entry.response.httpVersion === "h2"
          ? (endpoint.tls ? "h2" : "h2c")
          : entry.response.httpVersion,
      };
    }),
};

/** Node's node:http2 client: h2c with prior knowledge for http, ALPN h2 over https (trusting the endpoint's CA). */
export const NODE_HTTP2: H2ClientTool = {
  name: "node:http2",
  missing: () => null,
  get: (endpoint, target) =>
    new Promise((resolve, reject) => {
      const session = http2.connect(
        url(endpoint, "/"),
        endpoint.tls ? { ca: endpoint.ca, servername: "localhost" } : {},
      );
      const fail = (error: Error): void => {
        session.destroy();
        reject(error);
      };
      session.once("error", fail);
      session.setTimeout(TIMEOUT_S * 1000, () => fail(new Error(`node:http2: no answer within ${TIMEOUT_S} s`)));
      const request = session.request({ ":path": target });
      const chunks: Buffer[] = [];
      let status = 0;
      let headers: Field[] = [];
      request.once("response", (fields) => {
        status = Number(fields[":status"]);
        headers = Object.entries(fields).filter(([name]) => !name.startsWith(":")).map(([name, value]) =>
          [name, String(value)] as const
        );
      });
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.once("error", fail);
      request.once("end", () => {
        const protocol = session.alpnProtocol ?? "";
        session.close();
        resolve({ status, headers, body: Buffer.concat(chunks), protocol });
      });
    }),
};

/** Python's h2 through h2-get.py, run with Debian's /usr/bin/python3. */
export const PYTHON_H2: H2ClientTool = {
  name: "python3-h2",
  missing: () =>
    whichMissing("/usr/bin/python3", ["-c", "import h2"], "/usr/bin/python3 cannot import h2 (Debian's python3-h2)"),
  get: (endpoint, target) =>
    inTemp(async (dir) => {
      const args = [
        path.join(HERE, "h2-get.py"),
        endpoint.host,
        String(endpoint.port),
        target,
        endpoint.tls ? "h2" : "h2c",
      ];
      if (endpoint.tls) args.push(writeCa(dir, endpoint));
      const { stdout } = await run("/usr/bin/python3", args);
      const out = JSON.parse(stdout.toString()) as {
        status: number;
        headers: [string, string][];
        body: string;
        protocol: string;
      };
      return {
        status: out.status,
        headers: out.headers,
        body: Buffer.from(out.body, "base64"),
        protocol: out.protocol,
      };
    }),
};

export const H2_CLIENT_TOOLS: readonly H2ClientTool[] = [CURL, NGHTTP, NODE_HTTP2, PYTHON_H2];
