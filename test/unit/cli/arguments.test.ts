import { describe, expect, it } from "vitest";
import { type CliCommand, parseCli, parsePort, USAGE } from "../../../src/cli/arguments.ts";
import { parseCount, parseDuration, parseSize } from "../../../src/cli/values.ts";
import { DEFAULT_LIMITS, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP } from "../../../src/http/limits.ts";
import { DEFAULT_SITE } from "../../../src/static/options.ts";
import { DEFAULT_OPS } from "../../../src/cli/ops-options.ts";
import { DEFAULT_TLS } from "../../../src/cli/tls-options.ts";
import { DEFAULT_WORKERS } from "../../../src/cli/workers-options.ts";
import { DEFAULT_WORKER_TIMEOUT_MS } from "../../../src/workers/liveness.ts";

const serve = (dir: string, port: number, host = ""): CliCommand => ({
  kind: "serve",
  dir,
  dirGiven: dir !== ".",
  port,
  host,
  limits: DEFAULT_LIMITS,
  maxConnections: DEFAULT_MAX_CONNECTIONS,
  maxConnectionsPerIp: DEFAULT_MAX_CONNECTIONS_PER_IP,
  capLoopback: false,
  site: DEFAULT_SITE,
  daytimePort: null,
  timePort: null,
  app: null,
  ops: DEFAULT_OPS,
  tls: DEFAULT_TLS,
  auth: null,
  workers: DEFAULT_WORKERS,
  workerTimeoutMs: DEFAULT_WORKER_TIMEOUT_MS,
});
const cli = (argv: string[], env: Record<string, string | undefined> = {}): CliCommand => parseCli(argv, env);

function errorOf(command: CliCommand): string {
  if (command.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(command)}`);
  return command.message;
}

describe("parseCli: serving", () => {
  it("defaults to the current folder, port 8000, every interface", () => {
    expect(cli([])).toEqual(serve(".", 8000));
  });
  it("takes the port from PORT", () => {
    expect(cli([], { PORT: "9090" })).toEqual(serve(".", 9090));
    expect(cli([], { PORT: "0" })).toEqual(serve(".", 0));
  });
  it("ignores an empty PORT", () => {
    expect(cli([], { PORT: "" })).toEqual(serve(".", 8000));
  });
  it("-p, --port N and --port=N", () => {
    expect(cli(["-p", "1234"])).toEqual(serve(".", 1234));
    expect(cli(["--port", "1234"])).toEqual(serve(".", 1234));
    expect(cli(["--port=1234"])).toEqual(serve(".", 1234));
    expect(cli(["--port=0"])).toEqual(serve(".", 0));
    expect(cli(["-p", "65535"])).toEqual(serve(".", 65535));
  });
  it("the option wins over PORT", () => {
    expect(cli(["-p", "1234"], { PORT: "9090" })).toEqual(serve(".", 1234));
  });
  it("the last port option wins", () => {
    expect(cli(["-p", "1", "--port=2"])).toEqual(serve(".", 2));
  });
  it("-H and --host", () => {
    expect(cli(["-H", "127.0.0.1"])).toEqual(serve(".", 8000, "127.0.0.1"));
    expect(cli(["--host", "::1"])).toEqual(serve(".", 8000, "::1"));
    expect(cli(["--host=localhost"])).toEqual(serve(".", 8000, "localhost"));
  });
  it("a folder as positional argument, before or after options", () => {
    expect(cli(["static"])).toEqual(serve("static", 8000));
    expect(cli(["static", "-p", "81"])).toEqual(serve("static", 81));
    expect(cli(["-p", "81", "/srv/www", "-H", "0.0.0.0"])).toEqual(serve("/srv/www", 81, "0.0.0.0"));
  });
  it("'--' ends the options, so a folder may start with '-'", () => {
    expect(cli(["--", "-weird"])).toEqual(serve("-weird", 8000));
    expect(cli(["-p", "81", "--", "--port"])).toEqual(serve("--port", 81));
  });
  it("'-' alone is a folder name", () => {
    expect(cli(["-"])).toEqual(serve("-", 8000));
  });
});

describe("parseCli: help and version", () => {
  it("-h and --help", () => {
    expect(cli(["-h"])).toEqual({ kind: "help" });
    expect(cli(["--help"])).toEqual({ kind: "help" });
    expect(cli(["static", "-p", "81", "--help"])).toEqual({ kind: "help" });
  });
  it("-V and --version", () => {
    expect(cli(["-V"])).toEqual({ kind: "version" });
    expect(cli(["--version"])).toEqual({ kind: "version" });
  });
  it("help wins over a bad PORT", () => {
    expect(cli(["--help"], { PORT: "nope" })).toEqual({ kind: "help" });
  });
  it("the usage text names every option", () => {
    for (const option of ["-p, --port", "-H, --host", "-h, --help", "-V, --version", "DIR"]) {
      expect(USAGE).toContain(option);
    }
  });
});

describe("parseCli: errors", () => {
  it("an unknown option", () => {
    expect(errorOf(cli(["--verbose"]))).toContain("--verbose");
    expect(errorOf(cli(["-x"]))).toContain("-x");
    expect(errorOf(cli(["--bogus=1"]))).toContain("--bogus");
    expect(cli(["-p8080"]).kind).toBe("error");
  });
  it("a missing value", () => {
    expect(errorOf(cli(["-p"]))).toContain("-p");
    expect(errorOf(cli(["--port"]))).toContain("--port");
    expect(errorOf(cli(["-H"]))).toContain("-H");
    expect(cli(["--host="]).kind).toBe("error");
    expect(cli(["--port="]).kind).toBe("error");
  });
  it("a bad port", () => {
    for (const port of ["abc", "70000", "65536", "-1", "1.5", "0x50", " 80", "80 ", "+80", "1e3", "123456"]) {
      const message = errorOf(cli(["--port", port]));
      expect(message).toContain(`'${port}'`);
      expect(cli([`--port=${port}`]).kind).toBe("error");
    }
  });
  it("a bad PORT in the environment", () => {
    for (const port of ["abc", "70000", "-1", "1.5"]) {
      expect(errorOf(cli([], { PORT: port }))).toContain("PORT");
    }
  });
  it("two folders", () => {
    expect(errorOf(cli(["a", "b"]))).toContain("'b'");
    expect(cli(["a", "--", "b"]).kind).toBe("error");
  });
});

describe("parsePort", () => {
  it("accepts decimal 0-65535", () => {
    expect(parsePort("0")).toBe(0);
    expect(parsePort("80")).toBe(80);
    expect(parsePort("08080")).toBe(8080);
    expect(parsePort("65535")).toBe(65535);
  });
  it("refuses anything else", () => {
    for (const text of ["", "65536", "99999", "-1", "1.5", "abc", "0x1F", "８０"]) expect(parsePort(text)).toBeNull();
  });
});

describe("parseCli: limits", () => {
  const limitsOf = (argv: string[]) => {
    const command = cli(argv);
    if (command.kind !== "serve") throw new Error(JSON.stringify(command));
    return command;
  };
  it("every limit and timeout can be set, in nginx-like units", () => {
    const command = limitsOf([
      "--max-request-line",
      "1k",
      "--max-header-size=2k",
      "--max-headers",
      "10",
      "--max-body",
      "4m",
      "--header-timeout",
      "1s",
      "--body-timeout=1500ms",
      "--idle-timeout",
      "2m",
      "--send-timeout",
      "0.5",
      "--max-connections",
      "5",
      "--max-connections-per-ip",
      "2",
      "--min-body-rate",
      "1k",
      "--request-timeout=90s",
      "--response-timeout",
      "30s",
    ]);
    expect(command.limits).toEqual({
      maxRequestLineBytes: 1024,
      maxHeaderBytes: 2048,
      maxHeaderCount: 10,
      maxBodyBytes: 4 * 1024 * 1024,
      headerTimeoutMs: 1000,
      bodyTimeoutMs: 1500,
      minBodyRate: 1024,
      requestTimeoutMs: 90_000,
      idleTimeoutMs: 120_000,
      sendTimeoutMs: 500,
      responseTimeoutMs: 30_000,
    });
    expect(command.maxConnections).toBe(5);
    expect(command.maxConnectionsPerIp).toBe(2);
  });
  it("defaults: sizes like nginx's, request timeouts like mod_reqtimeout's (and Node's requestTimeout)", () => {
    expect(limitsOf([]).limits).toEqual({
      maxRequestLineBytes: 8192,
      maxHeaderBytes: 32768,
      maxHeaderCount: 100,
      maxBodyBytes: 1048576,
      headerTimeoutMs: 20_000,
      bodyTimeoutMs: 20_000,
      minBodyRate: 500,
      requestTimeoutMs: 300_000,
      idleTimeoutMs: 75_000,
      sendTimeoutMs: 60_000,
      responseTimeoutMs: 60_000,
    });
    expect(limitsOf([]).maxConnections).toBe(1024);
    expect(limitsOf([]).maxConnectionsPerIp).toBe(256);
  });
  it("the default per-address cap leaves loopback peers alone; a value given applies to every address", () => {
    expect(limitsOf([]).capLoopback).toBe(false);
    expect(limitsOf(["--max-connections-per-ip", "256"]).capLoopback).toBe(true);
  });
  it("0 turns off the per-address cap and the body rate floor", () => {
    expect(limitsOf(["--response-timeout", "0"]).limits.responseTimeoutMs).toBe(0);
    const command = limitsOf(["--max-connections-per-ip", "0", "--min-body-rate=0"]);
    expect(command.maxConnectionsPerIp).toBe(0);
    expect(command.limits.minBodyRate).toBe(0);
  });
  it("bad or missing values are errors naming the option", () => {
    for (
      const argv of [
        ["--max-body", "lots"],
        ["--max-body", "0"],
        ["--header-timeout", "-1"],
        ["--max-headers", "1.5"],
        ["--idle-timeout", "2h"],
        ["--max-connections", "0"],
        ["--send-timeout"],
        ["--max-request-line"],
        ["--request-timeout", "0"],
        ["--request-timeout", "2h"],
        ["--min-body-rate", "-1"],
        ["--min-body-rate", "fast"],
        ["--max-connections-per-ip", "-1"],
        ["--max-connections-per-ip", "x"],
        ["--max-connections-per-ip"],
      ]
    ) {
      expect(errorOf(cli(argv))).toContain(argv[0]);
    }
  });
  it("the usage text names every limit", () => {
    for (
      const option of [
        "--max-request-line",
        "--max-header-size",
        "--max-headers",
        "--max-body",
        "--max-connections",
        "--max-connections-per-ip",
        "--header-timeout",
        "--body-timeout",
        "--min-body-rate",
        "--request-timeout",
        "--idle-timeout",
        "--send-timeout",
      ]
    ) {
      expect(USAGE).toContain(option);
    }
  });
});

describe("option values", () => {
  it("sizes", () => {
    expect(parseSize("8192")).toBe(8192);
    expect(parseSize("8k")).toBe(8192);
    expect(parseSize("8K")).toBe(8192);
    expect(parseSize("1m")).toBe(1048576);
    expect(parseSize("2g")).toBe(2 * 1024 ** 3);
    for (const bad of ["", "0", "k", "1.5k", "-1", "1kb", " 1", "1 k"]) expect(parseSize(bad)).toBeNull();
  });
  it("counts", () => {
    expect(parseCount("1")).toBe(1);
    expect(parseCount("100")).toBe(100);
    for (const bad of ["", "0", "-3", "1e3", "2.0", "10000000000"]) expect(parseCount(bad)).toBeNull();
  });
  it("durations", () => {
    expect(parseDuration("60")).toBe(60_000);
    expect(parseDuration("60s")).toBe(60_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("86400")).toBe(86_400_000);
    for (const bad of ["", "0", "0ms", "86401", "1h", "-1", "s", "1.2345"]) expect(parseDuration(bad)).toBeNull();
  });
});

describe("parseCli: file-serving flags", () => {
  const siteOf = (argv: string[]) => {
    const command = cli(argv);
    if (command.kind !== "serve") throw new Error(JSON.stringify(command));
    return command.site;
  };
  it("writing: off by default; --upload, --mkdir, --allow-delete, --max-upload SIZE", () => {
    const site = siteOf([]);
    expect([site.upload, site.mkdir, site.allowDelete, site.maxUpload]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(siteOf(["--upload", "--mkdir", "--allow-delete", "--max-upload", "5m"])).toMatchObject({
      upload: true,
      mkdir: true,
      allowDelete: true,
      maxUpload: 5 * 1024 * 1024,
    });
    expect(errorOf(cli(["--max-upload", "lots"]))).toContain("--max-upload");
    expect(errorOf(cli(["--upload=yes"]))).toContain("--upload");
  });
  it("defaults: listing on, dotfiles hidden, no compression, no Cache-Control, no CORS, symlinks inside followed, 1 s metadata cache", () => {
    expect(siteOf([])).toEqual(DEFAULT_SITE);
    expect(DEFAULT_SITE).toEqual({
      listing: true,
      dotfiles: false,
      compress: false,
      cacheControl: null,
      cors: false,
      spa: false,
      symlinks: true,
      cacheTtlMs: 1000,
      basePath: "",
    });
  });
  it("every switch and value", () => {
    expect(siteOf([
      "--no-listing",
      "--dotfiles",
      "--compress",
      "--cors",
      "--spa",
      "--no-symlinks",
      "--cache-control",
      "public, max-age=3600",
      "--cache-ttl",
      "0",
      "site",
    ])).toEqual({
      listing: false,
      dotfiles: true,
      compress: true,
      cacheControl: "public, max-age=3600",
      cors: true,
      spa: true,
      symlinks: false,
      cacheTtlMs: 0,
      basePath: "",
    });
    expect(siteOf(["--cache-ttl=250ms"]).cacheTtlMs).toBe(250);
    expect(siteOf(["--cache-control=no-cache"]).cacheControl).toBe("no-cache");
  });
  it("--archives turns the folders' archives on (absent, and so off, by default)", () => {
    expect(siteOf([]).archives).toBeUndefined();
    expect(siteOf(["--archives"]).archives).toBe(true);
    expect(cli(["--archives=yes"]).kind).toBe("error");
    expect(USAGE).toContain("--archives");
  });
  it("refuses a Cache-Control value that is not a valid field value, a switch with a value, a bad TTL", () => {
    for (
      const argv of [["--cache-control", "a\r\nSet-Cookie: x"], ["--cache-control", ""], ["--cache-control"], [
        "--cors=yes",
      ], ["--cache-ttl", "soon"]]
    ) {
      const command = cli(argv);
      expect(command.kind, argv.join(" ")).toBe("error");
    }
  });
  it("the usage names every file-serving flag", () => {
    for (
      const flag of [
        "--no-listing",
        "--dotfiles",
        "--compress",
        "--cache-control",
        "--cors",
        "--spa",
        "--no-symlinks",
        "--cache-ttl",
      ]
    ) {
      expect(USAGE).toContain(flag);
    }
  });
});

describe("--app", () => {
  it("takes a module path", () => {
    expect(cli(["site", "--app", "./app.mjs"])).toEqual({ ...serve("site", 8000), app: "./app.mjs" });
    expect(cli(["--app=app.ts"])).toEqual({ ...serve(".", 8000), app: "app.ts" });
  });
  it("needs one", () => {
    expect(cli(["--app"])).toEqual({ kind: "error", message: "option '--app' needs a module path, such as ./app.mjs" });
  });
});
