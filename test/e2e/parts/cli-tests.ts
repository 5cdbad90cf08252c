import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runSundial, startSundial, type Target } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

function busyPort(): Promise<{ port: number; close: () => void }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, close: () => server.close() });
    });
  });
}

export function cliTests({ target }: SuiteContext): void {
  describe("command line", () => {
    // Only an executable can be copied alone; the run forms need the checkout.
    if (target.executable === true) {
      it(
        "copied alone to another folder and run from there: serves the folder it is given; bad flags exit 2",
        async () => {
          const base = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-exe-"));
          try {
            const copy = path.join(base, "bin", path.basename(target.command[0]!));
            fs.mkdirSync(path.dirname(copy));
            fs.copyFileSync(target.command[0]!, copy);
            fs.chmodSync(copy, 0o755);
            fs.mkdirSync(path.join(base, "site"));
            fs.writeFileSync(path.join(base, "site", "hello.txt"), "hello from a copied executable\n");
            const alone: Target = { name: target.name, command: [copy] };
            const server = await startSundial(alone, ["site"], {}, base);
            try {
              const file = await fetch(`http://127.0.0.1:${server.port}/hello.txt`);
              expect(await file.text()).toBe("hello from a copied executable\n");
              const time = (await (await fetch(`http://127.0.0.1:${server.port}/time`)).json()) as {
                unixtime_ms: number;
              };
              expect(Math.abs(time.unixtime_ms - Date.now())).toBeLessThan(2000);
              expect(server.stderr()).toContain(`Serving ${fs.realpathSync(path.join(base, "site"))}`);
            } finally {
              await server.stop();
            }
            const refused = await runSundial(alone, ["--nope"], { cwd: base });
            expect(refused.code).toBe(2);
            expect(refused.stderr).toContain("sundial: unknown option '--nope'");
          } finally {
            fs.rmSync(base, { recursive: true, force: true });
          }
        },
        30_000,
      );
    }

    it("prints usage for --help and exits 0", async () => {
      for (const flag of ["--help", "-h"]) {
        const result = await runSundial(target, [flag]);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain("Usage: sundial [DIR] [options]");
        expect(result.stdout).toContain("--port");
      }
    });

    it("prints the version and runtime for --version", async () => {
      const result = await runSundial(target, ["-V"]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toMatch(
        new RegExp(`^sundial \\d+\\.\\d+\\.\\d+ \\(${target.name.split("-")[0]} \\d+\\.\\d+\\.\\d+\\)$`),
      );
    });

    it("refuses an unknown flag or a bad value with one line and usage, exit 2", async () => {
      for (const args of [["--nope"], ["--port", "http"], ["-p", "70000"], ["-p"], ["a", "b"]]) {
        const result = await runSundial(target, args);
        expect(result.code, args.join(" ")).toBe(2);
        const lines = result.stderr.trim().split("\n");
        expect(lines[0]).toMatch(/^sundial: /);
        expect(result.stderr).toContain("Usage: sundial");
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      const env = await runSundial(target, [], { env: { PORT: "eighty" } });
      expect(env.code).toBe(2);
    });

    it("says so in one line when the folder is missing, exit 1", async () => {
      const result = await runSundial(target, [path.join(os.tmpdir(), "sundial-no-such-folder-xyz")]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toMatch(/^sundial: folder not found: .*sundial-no-such-folder-xyz$/);
    });

    it("says so in one line when the port is in use, exit 1", async () => {
      const busy = await busyPort();
      try {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-cli-"));
        const result = await runSundial(target, [dir, "--host", "127.0.0.1", "--port", String(busy.port)]);
        fs.rmSync(dir, { recursive: true, force: true });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe(
          `sundial: port ${busy.port} is already in use (choose another with --port, or --port 0 for any free port)`,
        );
      } finally {
        busy.close();
      }
    });
  });
}
