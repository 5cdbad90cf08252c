import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { hasResponses, type ParsedResponse, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { REPO_ROOT, runSundial, startSundial } from "../../support/server-process.ts";
import type { SuiteContext } from "../context.ts";

const APPS = path.join(REPO_ROOT, "test", "fixtures", "apps");
const HONO_FIXTURE = path.join(APPS, "hono-app.mjs");
const HONO_EXAMPLE = path.join(REPO_ROOT, "examples", "hono-app", "app.ts");

async function get(port: number, target: string): Promise<ParsedResponse> {
  const request = `GET ${target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`;
  const result = await rawExchange(port, request, { until: hasResponses(1), timeoutMs: 5000 });
  return parseResponses(result.data, { ended: result.closed })[0]!;
}

/**
 * --app with an app that imports packages from its own node_modules (issue 25): the README's Hono
 * example on every target that loads TypeScript, a .mjs Hono app on Node 20 (which loads none).
 * A compiled Bun executable finds no packages by itself; it bundles the app with sundial's own
 * resolver (runtime-adapters/bun/app-bundle.ts), which these tests hold to the same answers.
 */
export function appPackagesTests({ target }: SuiteContext): void {
  const nodeWithoutTypes = target.name.startsWith("node") && Number(process.versions.node.split(".")[0]) < 22;
  const honoApp = nodeWithoutTypes ? HONO_FIXTURE : HONO_EXAMPLE;
  describe("--app: an app that imports packages", () => {
    it(`the Hono app (${path.basename(honoApp)}) answers with hono's output: hono and hono/basic-auth from node_modules`, async () => {
      // Started from another folder: the packages resolve from the app's folder, not the working one.
      const server = await startSundial(target, ["--app", honoApp], {}, os.tmpdir());
      try {
        const hello = await get(server.port, "/hello/world");
        expect(hello.status).toBe(200);
        expect(hello.body.toString()).toBe("Hello, world!");
        const admin = await get(server.port, "/admin/");
        expect(admin.status).toBe(401);
        expect(admin.headers.get("www-authenticate")).toBe('Basic realm="sundial example"');
      } finally {
        await server.stop();
      }
    });

    it("import.meta in the app names the app's own file, and a file beside it is read through it", async () => {
      const server = await startSundial(target, ["--app", HONO_FIXTURE], {}, os.tmpdir());
      try {
        const meta = await get(server.port, "/meta");
        expect(meta.status).toBe(200);
        expect(JSON.parse(meta.body.toString())).toEqual({
          url: pathToFileURL(HONO_FIXTURE).href,
          dirname: APPS,
          sibling: true,
        });
      } finally {
        await server.stop();
      }
    });

    it("a package that is not installed: one line that names it, exit 1", async () => {
      const app = path.join(APPS, "missing-package-app.mjs");
      const result = await runSundial(target, ["--app", app, "--port", "0"]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      // Node and Bun: "Cannot find package 'x' imported from ..."; Deno: 'Import "x" not a dependency; hint: ...'.
      expect(result.stderr).toMatch(/^sundial: --app \S+missing-package-app\.mjs: .*["']sundial-no-such-package["']/);
    });
  });
}
