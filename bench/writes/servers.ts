// The writes bench's servers: sundial on each runtime with its write side on (--upload, --archives),
// and the peers its uploads are held against: nginx's WebDAV PUT and a minimal node:http upload
// server. Each says how to start it on a port serving the bench's site folder.
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../harness/repo.ts";
import { RUN_FORMS } from "../harness/sundial.ts";

export interface WriteServer {
  readonly name: string;
  readonly kind: "sundial" | "peer";
  /** Whether a PUT's file is flushed to disk (fsync) before the answer. */
  readonly fsync: boolean;
  /** Whether it makes folder archives (sundial --archives). */
  readonly archives: boolean;
  readonly command: (site: string, port: number, work: string) => string[];
  /** Writes the configuration file the command names, before the server starts. */
  readonly prepare?: (site: string, port: number, work: string) => void;
}

/** sundial's write side on: PUT up to 1 GiB (the 256 MiB case is larger than --max-body's 1m), archives; no access log. */
const SUNDIAL_FLAGS = ["--upload", "--mkdir", "--max-upload", "1g", "--archives", "--quiet"];

const nginxConf = (port: number, work: string): string => path.join(work, `nginx-dav-${port}.conf`);

/**
 * nginx's WebDAV PUT (ngx_http_dav_module, in nginx-light): the body goes to a temporary file in
 * client_body_temp_path (on the same file system as the site, so the move is a rename, not a
 * copy), renamed over the target once complete. nginx never fsyncs it: the data reaches the disk
 * when the kernel writes it back. Buffers and timeouts are nginx's defaults (client_body_buffer_size 16k).
 */
function writeNginxConfig(site: string, port: number, work: string): void {
  const temp = path.join(work, "nginx-body-temp");
  fs.mkdirSync(temp, { recursive: true, mode: 0o777 });
  fs.chmodSync(temp, 0o777); // nginx's worker runs as an unprivileged user when started as root
  fs.writeFileSync(
    nginxConf(port, work),
    `daemon off;
worker_processes 1;
pid ${work}/nginx-dav-${port}.pid;
error_log ${work}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_max_body_size 0;
  client_body_temp_path ${temp};
  types { application/octet-stream bin; }
  server {
    listen 127.0.0.1:${port};
    root ${site};
    dav_methods PUT DELETE MKCOL;
    create_full_put_path on;
    dav_access user:rw group:r all:r;
  }
}
`,
  );
}

/** Whether a command is on the PATH (the writes bench installs nothing). */
export function has(command: string): boolean {
  try {
    execSync(`command -v ${command}`, { stdio: "ignore", shell: "/bin/sh" });
    return true;
  } catch {
    return false;
  }
}

export const WRITE_SERVERS: readonly WriteServer[] = [
  ...RUN_FORMS.map(([runtime, argv]): WriteServer => ({
    name: `sundial-${runtime}`,
    kind: "sundial",
    fsync: true,
    archives: true,
    command: (site, port) => [...argv, site, "-H", "127.0.0.1", "-p", String(port), ...SUNDIAL_FLAGS],
  })),
  {
    name: "nginx-dav",
    kind: "peer",
    fsync: false,
    archives: false,
    prepare: writeNginxConfig,
    command: (_site, port, work) => ["nginx", "-c", nginxConf(port, work), "-e", path.join(work, "nginx-error.log")],
  },
  {
    name: "node-put",
    kind: "peer",
    fsync: false,
    archives: false,
    command: (site, port) => ["node", path.join(REPO, "bench/writes/peers/node-put.mjs"), site, String(port)],
  },
];

/** What the reports call each peer. */
export const LABELS: Readonly<Record<string, string>> = {
  "nginx-dav": "nginx WebDAV PUT (no fsync)",
  "node-put": "node:http minimal, no fsync",
};
