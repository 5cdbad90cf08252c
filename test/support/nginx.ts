/**
 * Real nginx in front of sundial, for test/e2e/nginx.test.ts: finding (or installing) nginx, a
 * configuration written from a template into a private prefix, starting and stopping nginx by
 * its PID, and starting sundial on a given port (startSundial in ./server-process.ts always asks
 * for a free one, and an upstream's ports are fixed in nginx's configuration, so a restarted
 * instance must come back on the port it had).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { alive, type Target } from "./server-process.ts";

export const NGINX_BIN = "/usr/sbin/nginx";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines of a command's output, for a skip reason. */
function tail(error: unknown): string {
  const e = error as { stderr?: Buffer | string; message?: string };
  const text = (e.stderr?.toString() ?? "").trim() || (e.message ?? String(error));
  return text.split("\n").slice(-2).join(" / ").slice(0, 300);
}

/**
 * nginx's path, or why there is none. When it is missing and we are root, Debian's nginx-light
 * is installed (`apt-get update` only when the install fails without it); otherwise the reason
 * becomes the name of a skipped test, so that a machine without nginx never passes silently.
 */
export function findNginx(): { readonly path: string } | { readonly skip: string } {
  if (fs.existsSync(NGINX_BIN)) return { path: NGINX_BIN };
  if (process.getuid?.() !== 0) return { skip: `${NGINX_BIN} is missing and installing nginx-light needs root` };
  const apt = (args: string[]): void => {
    execFileSync("apt-get", args, {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 300_000,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  };
  try {
    apt(["install", "-y", "nginx-light"]);
  } catch {
    try {
      apt(["update"]);
      apt(["install", "-y", "nginx-light"]);
    } catch (error) {
      return { skip: `${NGINX_BIN} is missing and apt-get install -y nginx-light failed: ${tail(error)}` };
    }
  }
  return fs.existsSync(NGINX_BIN)
    ? { path: NGINX_BIN }
    : { skip: `nginx-light installed but ${NGINX_BIN} is still missing` };
}

/** A port nobody listens on now, on 127.0.0.1 (for nginx, which cannot be told to pick one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NginxConfigOptions {
  /** nginx's prefix (-p): the configuration's relative paths (pid, logs, temporary files) are under it. */
  readonly prefix: string;
  /** The port nginx listens on, on 127.0.0.1. */
  readonly port: number;
  /** The sundial instances' ports, on 127.0.0.1. */
  readonly upstreams: readonly number[];
}

/**
 * The configuration under test: deploy/nginx.conf (docs/deploy.md), kept equivalent to it by
 * hand, with these differences only:
 * - `listen 127.0.0.1:PORT` on a free port instead of `listen 8080`, and the upstream's servers
 *   on the instances' ports instead of 8001 and 8002;
 * - `worker_processes 1` instead of `auto`: the machine has two cores shared with other work,
 *   and with one worker the upstream's failure state (per worker, as the upstream has no
 *   `zone`) is one state, which the rolling restart waits on (see the test);
 * - no comments.
 * Relative paths are relative to the prefix, as in deploy/nginx.conf.
 */
export function nginxConfig(options: NginxConfigOptions): string {
  const servers = options.upstreams.map((port) => `        server 127.0.0.1:${port};`).join("\n");
  return `worker_processes 1;
pid nginx.pid;
error_log error.log warn;

events {
    worker_connections 1024;
}

http {
    log_format upstream '$remote_addr - $remote_user [$time_local] "$request" $status '
                        '$body_bytes_sent "$http_referer" "$http_user_agent" '
                        'upstream=$upstream_addr upstream_status=$upstream_status '
                        'request_time=$request_time upstream_time=$upstream_response_time';
    access_log access.log upstream;

    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;

    default_type application/octet-stream;
    server_tokens off;

    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      '';
    }

    upstream sundial {
${servers}
        keepalive 32;
        keepalive_timeout 60s;
    }

    server {
        listen 127.0.0.1:${options.port};
        server_name _;

        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;

        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header Forwarded "";
        proxy_set_header X-Forwarded-Prefix "";

        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 2;
        proxy_next_upstream_timeout 10s;
        proxy_connect_timeout 2s;

        proxy_buffering on;
        proxy_max_temp_file_size 0;

        location / {
            proxy_pass http://sundial;
        }

        location /files/ {
            proxy_pass http://sundial/;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header Forwarded "";
            proxy_set_header X-Forwarded-Prefix /files;
        }
    }
}
`;
}

/** The PIDs whose parent is `pid` (nginx's workers), from /proc. */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

export interface RunningNginx {
  readonly port: number;
  readonly process: ChildProcess;
  /** The worker processes' PIDs (from /proc, as they were once nginx listened). */
  readonly workers: () => readonly number[];
  /** nginx's error log so far. */
  errorLog(): string;
  /** nginx's access log so far (deploy/nginx.conf's "upstream" format). */
  accessLog(): string;
  /** SIGQUIT (graceful), then SIGKILL for the master and its workers after 5 s. */
  stop(): Promise<void>;
}

/** Starts nginx in the foreground (`daemon off;`) on the configuration, and waits until it accepts connections. */
export function startNginx(bin: string, options: NginxConfigOptions): Promise<RunningNginx> {
  return startNginxWith(bin, options.prefix, options.port, nginxConfig(options));
}

/**
 * Starts nginx in the foreground on a configuration of the caller's (written to PREFIX/nginx.conf;
 * its relative paths are under the prefix), and waits until it accepts connections on `port`.
 */
export async function startNginxWith(bin: string, prefix: string, port: number, config: string): Promise<RunningNginx> {
  const options = { prefix, port };
  fs.mkdirSync(options.prefix, { recursive: true });
  // As root, nginx's worker runs as `nobody`: it must reach the temporary folders under the prefix.
  fs.chmodSync(options.prefix, 0o755);
  const conf = path.join(options.prefix, "nginx.conf");
  fs.writeFileSync(conf, config);
  const read = (name: string) => (): string => {
    const file = path.join(options.prefix, name);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  };
  const errorLog = read("error.log");
  const accessLog = read("access.log");
  const child = spawn(bin, ["-p", options.prefix, "-c", conf, "-g", "daemon off;"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const master = child.pid!;
  let workers: number[] = [];
  const stop = async (): Promise<void> => {
    workers = [...new Set([...workers, ...childPids(master)])];
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGQUIT");
      const killer = setTimeout(() => {
        child.kill("SIGKILL");
        for (const worker of workers) if (alive(worker)) process.kill(worker, "SIGKILL");
      }, 5000);
      await exited;
      clearTimeout(killer);
    }
    // A worker outliving its master would keep the port.
    for (let i = 0; i < 50 && workers.some(alive); i++) await sleep(100);
    for (const worker of workers) if (alive(worker)) process.kill(worker, "SIGKILL");
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nginx exited with ${child.exitCode ?? child.signalCode}:\n${output}\n${errorLog()}`);
    }
    const connected = await new Promise<boolean>((resolve) => {
      const probe = net.connect({ host: "127.0.0.1", port: options.port });
      probe.once("connect", () => {
        probe.destroy();
        resolve(true);
      });
      probe.once("error", () => resolve(false));
    });
    if (connected) {
      workers = childPids(master);
      return { port: options.port, process: child, workers: () => workers, errorLog, accessLog, stop };
    }
    await sleep(50);
  }
  await stop();
  throw new Error(`nginx did not listen on ${options.port} within 5 s:\n${output}\n${errorLog()}`);
}

export interface Instance {
  readonly port: number;
  readonly process: ChildProcess;
  readonly stderr: () => string;
  /** Resolves with the exit code (null when a signal ended it) once the process is gone. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts sundial on 127.0.0.1 and `port` (0: a free one), waiting for the "Local:" line that
 * names it on stderr, as startSundial does.
 */
export function startOnPort(target: Target, args: readonly string[], port: number): Promise<Instance> {
  const [command, ...rest] = target.command;
  const child = spawn(command!, [...rest, ...args, "--port", String(port), "--host", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    let started = false;
    const timer = setTimeout(
      () => fail(new Error(`${target.name}: no "Local:" line within 30 s\n${out}\n${err}`)),
      30_000,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.once("exit", (code, signal) => {
      if (!started) fail(new Error(`${target.name} on port ${port} exited with ${code ?? signal}\n${out}\n${err}`));
    });
    child.stderr!.on("data", () => {
      const match = /Local:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (match === null || started) return;
      started = true;
      clearTimeout(timer);
      resolve({ port: Number(match[1]), process: child, stderr: () => err, exited, stop });
    });
  });
}
