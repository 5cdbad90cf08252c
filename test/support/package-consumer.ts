import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./server-process.ts";

const BIN = path.join(REPO_ROOT, "node_modules", ".bin");

/** A runtime that runs the consumer's app, and why it cannot here (its binary is missing). */
export interface ConsumerRuntime {
  readonly name: "node" | "bun" | "deno";
  readonly command: readonly string[];
  readonly skip?: string;
}

function fromBin(name: "bun" | "deno", args: readonly string[]): ConsumerRuntime {
  const binary = path.join(BIN, name);
  const skip = fs.existsSync(binary)
    ? undefined
    : `${name} is not installed (${path.relative(REPO_ROOT, binary)} is missing; npm install adds it)`;
  return { name, command: [binary, ...args], ...(skip === undefined ? {} : { skip }) };
}

/** How a project runs its app on each runtime: `node app.mjs`, `bun app.mjs`, `deno run --allow-all app.mjs`. */
export const CONSUMER_RUNTIMES: readonly ConsumerRuntime[] = [
  { name: "node", command: [process.execPath] },
  fromBin("bun", []),
  fromBin("deno", ["run", "--allow-all"]),
];

/** The packed tarball and a project that installed it. */
export interface Consumer {
  /** The project's folder (its package.json depends on the tarball). */
  readonly dir: string;
  readonly tarball: string;
  /** The paths in the tarball, as `npm pack --json` lists them. */
  readonly packed: readonly string[];
  remove(): void;
}

/** `npm pack` of this repository into a temporary folder, and a project there that installed it. */
export function packAndInstall(): Consumer {
  for (const file of ["node.js", "bun.js", "deno.js", "index.d.ts"]) {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "lib", file))) {
      throw new Error(`dist/lib/${file} is missing: run bun scripts/build.ts --only=lib (npm run build does)`);
    }
  }
  // Outside the repository, so neither Deno nor Node finds this repository's deno.json or node_modules.
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sundial-package-")));
  const remove = (): void => fs.rmSync(work, { recursive: true, force: true });
  try {
    const [pack] = JSON.parse(npm(["pack", "--json", "--pack-destination", work, REPO_ROOT], work)) as Array<
      { filename: string; files: Array<{ path: string }> }
    >;
    const tarball = path.join(work, pack!.filename);
    const dir = path.join(work, "consumer");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "package.json"),
      `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
    );
    // The package has no dependencies: installing it needs no network.
    npm(["install", "--no-audit", "--no-fund", tarball], dir);
    // After the install, which would prune packages package.json does not name. Hono has no dependencies.
    link(path.join(REPO_ROOT, "node_modules", "hono"), path.join(dir, "node_modules", "hono"));
    link(path.join(REPO_ROOT, "node_modules", "@types", "node"), path.join(dir, "node_modules", "@types", "node"));
    for (const [name, text] of Object.entries(CONSUMER_FILES)) fs.writeFileSync(path.join(dir, name), text);
    return { dir, tarball, packed: pack!.files.map((f) => f.path), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function npm(args: readonly string[], cwd: string): string {
  return execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 120_000,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
}

function link(target: string, at: string): void {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at, "dir");
}

/** The consumer's files: the app each runtime runs, and a TypeScript app checked with tsc. */
const CONSUMER_FILES: Readonly<Record<string, string>> = {
  "app.mjs": `import { Hono } from "hono";
import { serve } from "sundial";

const app = new Hono()
  .get("/", (c) => c.text("hi"))
  .post("/echo", async (c) => c.json(await c.req.json()))
  // Hono hands the second argument of fetch (sundial's ServeInfo) to the app as c.env.
  .get("/ip", (c) => c.text(c.env.remoteAddr.hostname));
const server = serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
await server.ready();
console.log(\`entry \${import.meta.resolve("sundial")}\`);
console.log(\`listening \${server.url}\`);
// The test stops this process by its PID: close() must finish and leave nothing that keeps it alive.
process.once("SIGTERM", async () => {
  await server.close();
  console.log("closed");
});
`,
  "app.ts": `import { Hono } from "hono";
import { upgradeWebSocket } from "sundial/hono";
import { type UpgradedWebSocket, upgradeWebSocket as upgradeDeno, type WebSocketUpgrade } from "sundial";
import { DEFAULT_LIMITS, type FetchHandler, type HttpLimits, type ServeInfo, type ServeOptions, type Server, serve, VERSION } from "sundial";

const app = new Hono().get("/", (c) => c.text("hi")).post("/echo", async (c) => c.json(await c.req.json()));
const hello: FetchHandler = (request: Request, info: ServeInfo) => new Response(\`\${request.method} from \${info.remoteAddr.hostname}:\${info.remoteAddr.port}\`);
const limits: Partial<HttpLimits> = { maxBodyBytes: DEFAULT_LIMITS.maxBodyBytes };
const options: ServeOptions = {
  fetch: app.fetch,
  port: 0,
  hostname: "127.0.0.1",
  signal: new AbortController().signal,
  maxRequestBodySize: 1024,
  limits,
  static: { root: "." },
};
const server: Server = serve(options);
const ready: Server = await server.ready();
const url: string | null = ready.url;
const port: number | null = server.port;
await server.close();
console.log(url, port, VERSION.length, serve({ fetch: hello }).url);
const chat = new Hono().get("/ws", upgradeWebSocket(() => ({ onMessage: (event, ws) => ws.send(String(event.data)) })));
const deno: FetchHandler = (request) => {
  const upgrade: WebSocketUpgrade = upgradeDeno(request, { protocol: "chat", idleTimeout: 30 });
  const socket: UpgradedWebSocket = upgrade.socket;
  socket.onmessage = (event) => socket.send(String((event as MessageEvent).data));
  return upgrade.response;
};
console.log(chat.fetch.length, deno.length);
// Each line below must be an error: were the types missing or any, these directives would be unused (an error too).
// @ts-expect-error: the port is a number
serve({ fetch: hello, port: "80" });
// @ts-expect-error: fetch is required
serve({ port: 0 });
// @ts-expect-error: a handler answers a Response
serve({ fetch: () => "hi" });
// @ts-expect-error: serve() takes the options only (the runtime's ports are bound in)
serve({}, options);
`,
  // Hono's WebSocket helper from the package's "sundial/hono" subpath (hono the project's own, a peer).
  "chat.mjs": `import { Hono } from "hono";
import { serve } from "sundial";
import { upgradeWebSocket } from "sundial/hono";

const app = new Hono().get(
  "/ws",
  upgradeWebSocket(() => ({ onMessage: (event, ws) => ws.send(\`echo \${event.data}\`) })),
);
const server = serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
await server.ready();
console.log(\`entry \${import.meta.resolve("sundial/hono")}\`);
console.log(\`listening \${server.url}\`);
process.once("SIGTERM", async () => {
  await server.close();
  console.log("closed");
});
`,
  // Every option the command line has, as serve() takes it (docs/apps-and-library.md): two servers in one process.
  "options.mjs": `import { serve } from "sundial";

const [dir, certFile, keyFile] = process.argv.slice(2);
const app = (request, info) => {
  const path = new URL(request.url).pathname;
  return new Response(path === "/ip" ? info.remoteAddr.hostname : \`app \${path}\`);
};
const plain = serve({
  fetch: app,
  port: 0,
  hostname: "127.0.0.1",
  static: { root: \`\${dir}/site\`, listing: false },
  daytimePort: 0,
  timePort: 0,
  accessLog: { format: "json", file: \`\${dir}/access.log\` },
  trustProxy: ["127.0.0.1"],
  proxyProtocol: true,
  basePath: "/base",
  headers: { "X-Frame-Options": "DENY" },
  health: true,
  metrics: true,
  adminPort: 0,
  shutdownTimeoutMs: 2000,
});
const secure = serve({ fetch: app, port: 0, hostname: "127.0.0.1", tls: { certFile, keyFile, redirectHttpPort: 0 } });
// Writing files, archives, and a password for writes under /inbox/ (--upload --mkdir --allow-delete --max-upload --archives --auth --auth-scope --auth-path).
const files = serve({
  fetch: app,
  port: 0,
  hostname: "127.0.0.1",
  trustProxy: "127.0.0.1",
  static: { root: \`\${dir}/files\`, upload: true, mkdir: true, allowDelete: true, maxUpload: 100, archives: true },
  auth: { users: ["alice:secret"], scope: "writes", paths: ["/inbox/"] },
});
await Promise.all([plain.ready(), secure.ready(), files.ready()]);
console.log(\`ports \${JSON.stringify({ plain: plain.port, ...plain.ports, secure: secure.port, redirect: secure.ports.redirect, files: files.port })}\`);
process.on("SIGHUP", async () => console.log(\`reload \${JSON.stringify(await secure.reloadTls())}\`));
process.once("SIGTERM", async () => {
  await plain.close();
  await secure.close();
  await files.close();
  console.log("closed");
});
`,
  // A Node project: strict, NodeNext resolution (package.json exports and their "types" condition), @types/node.
  "tsconfig.json": `${
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          noEmit: true,
          types: ["node"],
          skipLibCheck: true,
        },
        files: ["app.ts"],
      },
      null,
      2,
    )
  }\n`,
  // The declarations alone, checked in full, with the web platform's types and no @types/node (as Bun and Deno projects have them).
  "tsconfig.types.json": `${
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: "ES2022",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          noEmit: true,
          types: [],
          skipLibCheck: false,
        },
        files: ["node_modules/sundial/dist/lib/index.d.ts", "node_modules/sundial/dist/lib/hono.d.ts"],
      },
      null,
      2,
    )
  }\n`,
};

/** Runs tsc -p <project> in the consumer; resolves with its exit code and output. */
export function typecheck(dir: string, project: string): Promise<{ code: number | null; output: string }> {
  return runIn(dir, path.join(BIN, "tsc"), ["-p", project]);
}

/** Runs `deno check app.ts` in the consumer: Deno's own type check, the types from the package's "types" condition. */
export function denoCheck(dir: string, runtime: ConsumerRuntime): Promise<{ code: number | null; output: string }> {
  return runIn(dir, runtime.command[0]!, ["check", "--quiet", "app.ts"]);
}

function runIn(
  dir: string,
  command: string,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The consumer's app running on one runtime. */
export interface RunningApp {
  /** The server's URL, as serve() reports it. */
  readonly url: string;
  /** The file the runtime resolved "sundial" to (import.meta.resolve). */
  readonly entry: string;
  readonly output: () => string;
  readonly pid: number;
  /** SIGTERM to its PID; resolves with its exit code once it has exited (SIGKILL after 5 s: code null, killed true). */
  stop(): Promise<{ code: number | null; killed: boolean }>;
}

/** Starts `<runtime> <file> <args>` in the consumer and waits for the lines `ready` finds (app.mjs: its URL and entry). */
export function startApp(
  runtime: ConsumerRuntime,
  dir: string,
  file = "app.mjs",
  fileArgs: readonly string[] = [],
  ready: RegExp = /^listening (\S+)$/m,
): Promise<RunningApp> {
  const [command, ...args] = runtime.command;
  const child = spawn(command!, [...args, file, ...fileArgs], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      clearTimeout(timer);
      stopByPid(child, "SIGKILL");
      reject(new Error(`${runtime.name} ${file}: ${message}\n${output}`));
    };
    const timer = setTimeout(() => fail(`no line matching ${ready} within 30 s`), 30_000);
    void exited.then((code) => fail(`exited with ${code} before listening`));
    child.stdout!.on("data", () => {
      const listening = ready.exec(output);
      const entry = /^entry (\S+)$/m.exec(output);
      if (listening === null || (file === "app.mjs" && entry === null)) return;
      clearTimeout(timer);
      resolve({
        url: listening[1]!,
        entry: entry?.[1] ?? "",
        pid: child.pid!,
        output: () => output,
        stop: () => stop(child, exited),
      });
    });
  });
}

async function stop(
  child: ChildProcess,
  exited: Promise<number | null>,
): Promise<{ code: number | null; killed: boolean }> {
  let killed = false;
  stopByPid(child, "SIGTERM");
  const killer = setTimeout(() => {
    killed = true;
    stopByPid(child, "SIGKILL");
  }, 5000);
  const code = await exited;
  clearTimeout(killer);
  return { code, killed };
}

/** A signal to this child alone, by its PID (never by name). */
function stopByPid(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal);
  } catch {
    // It exited in between.
  }
}
