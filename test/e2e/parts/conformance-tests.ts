import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

const RUNNER = path.resolve(REPO_ROOT, "..", "shared", "conformance", "runner.mjs");
const CORPUS = path.resolve(REPO_ROOT, "..", "shared", "conformance", "corpus.json");

function runConformance(
  port: number,
  flags: readonly string[],
): Promise<{ code: number | null; summary: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("node", [RUNNER, "127.0.0.1", String(port), CORPUS, ...flags], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("close", (code) => {
      const summary = /(\d+) passed, (\d+) failed/.exec(output)?.[0] ?? "no summary";
      resolve({ code, summary, output });
    });
  });
}

/** The shared HTTP/1.1 conformance corpus, when ../shared is beside this checkout. */
export function conformanceTests(ctx: SuiteContext): void {
  describe.skipIf(!existsSync(RUNNER))("conformance corpus (../shared/conformance)", () => {
    it("passes every case with --strict-status", async () => {
      const result = await runConformance(ctx.server().port, ["--strict-status"]);
      expect(result.summary, result.output).toBe("120 passed, 0 failed");
    }, 120_000);

    it("passes every case with --strict --strict-status --body-limit", async () => {
      const result = await runConformance(ctx.server().port, ["--strict", "--strict-status", "--body-limit"]);
      expect(result.summary, result.output).toMatch(/^\d+ passed, 0 failed$/);
    }, 120_000);
  });
}
