import { describe, expect, it } from "vitest";
import { type CliCommand, parseCli, USAGE } from "../../../src/cli/arguments.ts";
import { basePath, DEFAULT_OPS, type OpsOptions } from "../../../src/cli/ops-options.ts";
import { isTrusted } from "../../../src/proxy/trust-list.ts";

const ops = (argv: string[]): OpsOptions => {
  const command = parseCli(argv, {});
  if (command.kind !== "serve") throw new Error(`expected serve, got ${JSON.stringify(command)}`);
  return command.ops;
};
const errorOf = (argv: string[]): string => {
  const command: CliCommand = parseCli(argv, {});
  if (command.kind !== "error") throw new Error(`expected an error, got ${command.kind}`);
  return command.message;
};

describe("parseCli: the production options", () => {
  it("defaults: a combined access log on stdout, no proxy trusted, no health or metrics, a 30 s drain", () => {
    expect(ops([])).toEqual(DEFAULT_OPS);
    expect(DEFAULT_OPS.logFormat).toBe("combined");
    expect(DEFAULT_OPS.shutdownTimeoutMs).toBe(30_000);
  });
  it("--log-format, --quiet, -q, --log", () => {
    expect(ops(["--log-format", "json"]).logFormat).toBe("json");
    expect(ops(["--log-format=common"]).logFormat).toBe("common");
    expect(ops(["--quiet"]).logFormat).toBeNull();
    expect(ops(["-q"]).logFormat).toBeNull();
    expect(ops(["--log", "/var/log/sundial.log"]).logFile).toBe("/var/log/sundial.log");
    expect(errorOf(["--log-format", "apache"])).toContain("common, combined, json");
    expect(errorOf(["--quiet=yes"])).toContain("takes no value");
  });
  it("--trust-proxy parses its list; --proxy-protocol needs it", () => {
    const list = ops(["--trust-proxy", "127.0.0.1,10.0.0.0/8"]).trustProxy!;
    expect(isTrusted(list, "10.1.2.3")).toBe(true);
    expect(isTrusted(list, "192.0.2.1")).toBe(false);
    expect(errorOf(["--trust-proxy", "10.0.0.0/33"])).toContain("--trust-proxy");
    expect(errorOf(["--proxy-protocol"])).toContain("needs --trust-proxy");
    expect(ops(["--trust-proxy", "loopback", "--proxy-protocol"]).proxyProtocol).toBe(true);
  });
  it("--health, --metrics, --admin-port, --shutdown-timeout", () => {
    expect(ops(["--health", "--metrics"])).toMatchObject({ health: true, metrics: true });
    expect(ops(["--admin-port", "9000"]).adminPort).toBe(9000);
    expect(ops(["--shutdown-timeout", "5s"]).shutdownTimeoutMs).toBe(5000);
    expect(errorOf(["--admin-port", "70000"])).toContain("0-65535");
    expect(errorOf(["--shutdown-timeout", "soon"])).toContain("duration");
  });
  it("--header is repeatable, checked as a field, and cannot set what the server frames", () => {
    expect(ops(["--header", "Strict-Transport-Security: max-age=31536000", "--header=X-Frame-Options:DENY"]).headers)
      .toEqual([
        ["Strict-Transport-Security", "max-age=31536000"],
        ["X-Frame-Options", "DENY"],
      ]);
    expect(errorOf(["--header", "no colon"])).toContain("'Name: value'");
    expect(errorOf(["--header", "Bad Name: x"])).toContain("'Name: value'");
    expect(errorOf(["--header", "X-A: line\r\nInjected: 1"])).toContain("'Name: value'");
    expect(errorOf(["--header", "Content-Length: 5"])).toContain("sets it itself");
  });
  it("--base-path takes a plain path, with or without slashes, never a dot segment", () => {
    expect(ops(["--base-path", "/files/"]).basePath).toBe("/files");
    expect(basePath("files")).toBe("/files");
    expect(basePath("/a/b")).toBe("/a/b");
    expect(basePath("/")).toBe("");
    expect(basePath("/a/../b")).toBeNull();
    expect(basePath("/a?b")).toBeNull();
    expect(basePath("/a//b")).toBeNull();
  });
  it("--help names every production option", () => {
    for (
      const flag of [
        "--log-format",
        "--log FILE",
        "--quiet",
        "--header",
        "--trust-proxy",
        "--proxy-protocol",
        "--base-path",
        "--health",
        "--metrics",
        "--admin-port",
        "--shutdown-timeout",
      ]
    ) {
      expect(USAGE).toContain(flag);
    }
  });
});
