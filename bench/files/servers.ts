// The files bench's servers: sundial run from the checkout and built, with the access log and
// --quiet, one process and --workers 2; the peers it is held against (nginx, Caddy, JavaScript
// servers in peers/, python). Each says how to start it on a port serving a folder.
import * as fs from "node:fs";
import * as path from "node:path";
import { LOAD_CORE, SERVER_CORE } from "../harness/processes.ts";
import { BIN, REPO } from "../harness/repo.ts";
import { RUN_FORMS } from "../harness/sundial.ts";

/** A server under test: how to start it on a port serving a folder. */
export interface ServerSpec {
  readonly name: string;
  /** Which sundial this is compared against, for the ratio columns. */
  readonly kind: "sundial" | "peer";
  readonly runtime: "node" | "deno" | "bun" | "native" | "python";
  readonly command: (dir: string, port: number, work: string) => string[];
  /** Writes the configuration file the command names, before the server starts. */
  readonly prepare?: (dir: string, port: number, work: string) => void;
  /** Scenarios it cannot do (python has no /time). */
  readonly without?: readonly string[];
  /** A standalone executable: its path (its size is reported). */
  readonly file?: string;
  /**
   * The CPUs it may run on (taskset -c), for servers of several processes; default: the server
   * core alone. This machine has two cores and wrk takes the other, so "0,1" shares it with wrk.
   */
  readonly cpus?: string;
}

/** A built executable, when `npm run build` made it (sundial-deno needs denort, so may be missing). */
function executable(runtime: "node" | "deno" | "bun"): ServerSpec[] {
  const file = path.join(REPO, "dist", `sundial-${runtime}`);
  if (!fs.existsSync(file)) return [];
  return [{
    name: `sundial-${runtime}-exe`,
    kind: "sundial",
    runtime,
    file,
    command: (d, p) => [file, d, "-H", "127.0.0.1", "-p", String(p)],
  }];
}

const nginxConfPath = (port: number, work: string): string => path.join(work, `nginx-${port}.conf`);
const caddyfilePath = (port: number, work: string): string => path.join(work, `Caddyfile-${port}`);

function writeNginxConfig(dir: string, port: number, work: string, workers = 1): void {
  const conf = nginxConfPath(port, work);
  fs.mkdirSync(path.join(work, "nginx-tmp"), { recursive: true });
  fs.writeFileSync(
    conf,
    `daemon off;
worker_processes ${workers};
pid ${work}/nginx-${port}.pid;
error_log ${work}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path ${work}/nginx-tmp;
  proxy_temp_path ${work}/nginx-tmp;
  fastcgi_temp_path ${work}/nginx-tmp;
  uwsgi_temp_path ${work}/nginx-tmp;
  scgi_temp_path ${work}/nginx-tmp;
  types { text/html html; application/octet-stream bin; }
  server {
    listen 127.0.0.1:${port};
    root ${dir};
    location = /time {
      default_type application/json;
      add_header Cache-Control no-store;
      return 200 '{"utc_datetime":"$time_iso8601","unixtime_ms":$msec}';
    }
  }
}
`,
  );
}

function writeCaddyfile(dir: string, port: number, work: string): void {
  const file = caddyfilePath(port, work);
  fs.writeFileSync(
    file,
    `{
  admin off
  auto_https off
  log default {
    output discard
  }
}
http://127.0.0.1:${port} {
  root * ${dir}
  handle /time {
    header Content-Type application/json
    header Cache-Control no-store
    respond \`{"unixtime_ms":{time.now.unix_ms}}\` 200
  }
  file_server
}
`,
  );
}

/**
 * sundial as people run it (the access log on: combined lines on stdout, which the harness sends
 * to /dev/null), and the same with --quiet: the pair measures what the log costs (issue 15: under 10%).
 */
const runForms = (): ServerSpec[] =>
  RUN_FORMS.flatMap(([runtime, argv]) => [
    {
      name: `sundial-${runtime}`,
      kind: "sundial" as const,
      runtime,
      command: (d: string, p: number) => [...argv, d, "-H", "127.0.0.1", "-p", String(p)],
    },
    {
      name: `sundial-${runtime}-quiet`,
      kind: "sundial" as const,
      runtime,
      command: (d: string, p: number) => [...argv, d, "-H", "127.0.0.1", "-p", String(p), "--quiet"],
    },
  ]);

/**
 * --workers 2 (issue 16) on each run form and the Bun executable, against nginx with two worker
 * processes: both may use both cores, where wrk runs too, so they measure what a second process
 * gains when the load generator takes half the machine, not what two free cores would give.
 */
const W2_CPUS = `${SERVER_CORE},${LOAD_CORE}`;
const twoWorkers = (): ServerSpec[] => [
  ...RUN_FORMS.map(([runtime, argv]): ServerSpec => ({
    name: `sundial-${runtime}-w2`,
    kind: "sundial",
    runtime,
    cpus: W2_CPUS,
    command: (d, p) => [...argv, d, "-H", "127.0.0.1", "-p", String(p), "--workers", "2"],
  })),
  ...executable("bun").map((spec): ServerSpec => ({
    ...spec,
    name: "sundial-bun-exe-w2",
    cpus: W2_CPUS,
    command: (d, p) => [...spec.command(d, p, ""), "--workers", "2"],
  })),
  {
    name: "nginx-w2",
    kind: "peer",
    runtime: "native",
    cpus: W2_CPUS,
    prepare: (d, p, w) => writeNginxConfig(d, p, w, 2),
    command: (_d, p, w) => ["nginx", "-c", nginxConfPath(p, w), "-e", path.join(w, "nginx-error.log")],
  },
];

export const SERVERS: readonly ServerSpec[] = [
  ...runForms(),
  ...executable("node"),
  ...executable("deno"),
  ...executable("bun"),
  {
    name: "nginx",
    kind: "peer",
    runtime: "native",
    prepare: writeNginxConfig,
    command: (_d, p, w) => ["nginx", "-c", nginxConfPath(p, w), "-e", path.join(w, "nginx-error.log")],
  },
  {
    name: "caddy",
    kind: "peer",
    runtime: "native",
    prepare: writeCaddyfile,
    command: (_d, p, w) => ["caddy", "run", "--config", caddyfilePath(p, w), "--adapter", "caddyfile"],
  },
  {
    name: "node-http+sirv",
    kind: "peer",
    runtime: "node",
    command: (d, p) => ["node", path.join(REPO, "bench/files/peers/node-sirv.mjs"), d, String(p)],
  },
  {
    name: "node-http+serve-handler",
    kind: "peer",
    runtime: "node",
    command: (d, p) => ["node", path.join(REPO, "bench/files/peers/node-serve-handler.mjs"), d, String(p)],
  },
  {
    name: "Bun.serve",
    kind: "peer",
    runtime: "bun",
    command: (d, p) => [path.join(BIN, "bun"), path.join(REPO, "bench/files/peers/bun-serve.ts"), d, String(p)],
  },
  {
    name: "Deno.serve",
    kind: "peer",
    runtime: "deno",
    command: (
      d,
      p,
    ) => [
      path.join(BIN, "deno"),
      "run",
      "--allow-net",
      "--allow-read",
      path.join(REPO, "bench/files/peers/deno-serve.ts"),
      d,
      String(p),
    ],
  },
  {
    name: "python-http.server",
    kind: "peer",
    runtime: "python",
    command: (d, p) => ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", d, String(p)],
    without: ["/time"],
  },
  ...twoWorkers(),
];

/** The native peer each sundial runtime is held against (issue #3's targets). */
export const NATIVE_PEER: Readonly<Record<string, string>> = {
  "sundial-node": "node-http+sirv",
  "sundial-deno": "Deno.serve",
  "sundial-bun": "Bun.serve",
};
