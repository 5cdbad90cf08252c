import { describe, expect, it } from "vitest";
import { type CliCommand, parseCli, USAGE } from "../../../src/cli/arguments.ts";
import { commandConfig } from "../../../src/cli/command-config.ts";
import type { ServeCommand } from "../../../src/cli/arguments.ts";

const serveOf = (argv: string[]): ServeCommand => {
  const command = parseCli(argv, {});
  if (command.kind !== "serve") throw new Error(`expected serve, got ${JSON.stringify(command)}`);
  return command;
};
const errorOf = (argv: string[]): string => {
  const command: CliCommand = parseCli(argv, {});
  if (command.kind !== "error") throw new Error(`expected an error, got ${command.kind}`);
  return command.message;
};

describe("parseCli: the HTTP/2 options", () => {
  it("off by default: no http2 in the config", () => {
    expect(serveOf([]).tls.http2).toBe(false);
    expect(commandConfig(serveOf([])).http2).toBeUndefined();
  });
  it("--http2 alone: the defaults (src/http2/limits.ts), nothing over them", () => {
    expect(commandConfig(serveOf(["--http2"])).http2).toEqual({});
  });
  it("--http2-zero-window-timeout TIME sets zeroWindowTimeoutMs, parsed like every duration", () => {
    expect(commandConfig(serveOf(["--http2", "--http2-zero-window-timeout", "5s"])).http2)
      .toEqual({ zeroWindowTimeoutMs: 5000 });
    expect(commandConfig(serveOf(["--http2-zero-window-timeout=1500ms", "--http2"])).http2)
      .toEqual({ zeroWindowTimeoutMs: 1500 });
    expect(commandConfig(serveOf(["--http2", "--http2-zero-window-timeout", "2m"])).http2)
      .toEqual({ zeroWindowTimeoutMs: 120_000 });
  });
  it("a bad or missing duration is an error naming the option", () => {
    expect(errorOf(["--http2", "--http2-zero-window-timeout", "soon"])).toContain("--http2-zero-window-timeout");
    expect(errorOf(["--http2", "--http2-zero-window-timeout", "0"])).toContain("duration");
    expect(errorOf(["--http2", "--http2-zero-window-timeout"])).toContain("--http2-zero-window-timeout");
  });
  it("--http2-zero-window-timeout needs --http2", () => {
    expect(errorOf(["--http2-zero-window-timeout", "5s"])).toBe("--http2-zero-window-timeout needs --http2");
  });
  it("--help names both, with the default", () => {
    expect(USAGE).toContain("--http2 ");
    expect(USAGE).toMatch(/--http2-zero-window-timeout TIME[\s\S]*\(default: 30s\)/);
  });
});
