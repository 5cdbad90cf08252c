import { describe, expect, it } from "vitest";
import { DOTFILE_SECRET, SECRET, SIBLING_SECRET } from "../../support/fixture.ts";
import { hasResponses, parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { get, raw, type SuiteContext } from "../context.ts";

/** Request-targets that try to leave the root; sent as raw bytes so nothing normalises them. */
const TRAVERSALS = [
  "/../secret.txt",
  "/../../../../../../etc/passwd",
  "/sub/../../secret.txt",
  "//..//..//secret.txt",
  "/sub///..////..//secret.txt",
  "/%2e%2e/secret.txt",
  "/%2E%2E/secret.txt",
  "/.%2e/secret.txt",
  "/%2e%2e%2fsecret.txt",
  "/sub/..%2f..%2fsecret.txt",
  "/..%2F..%2Fsecret.txt",
  "/%252e%252e/secret.txt",
  "/..%5csecret.txt",
  "/%5c..%5csecret.txt",
  "/..\\secret.txt",
  "/hello.txt%00.png",
  "/%00",
  "/%c0%ae%c0%ae/secret.txt",
  "/%",
  "/%zz",
  "http://localhost/../secret.txt",
  "http://localhost/%2e%2e/secret.txt",
  "/link-parent/secret.txt",
];

export function safetyTests(ctx: SuiteContext): void {
  describe("path safety (raw bytes on a socket)", () => {
    it.each(TRAVERSALS)("never serves anything outside the root for %s", async (target) => {
      for (const version of ["1.1", "1.0"]) {
        const request = `GET ${target} HTTP/${version}\r\nHost: localhost\r\n\r\n`;
        const result = await rawExchange(ctx.server().port, request, { until: hasResponses(1), timeoutMs: 3000 });
        const [response] = parseResponses(result.data, { ended: result.closed });
        expect([response?.version, response?.complete]).toEqual(["1.1", true]);
        expect([400, 404]).toContain(response?.status);
        const text = result.data.toString("latin1");
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain("root:");
      }
    });

    it("hides dotfiles and dot-folders", async () => {
      for (const target of ["/.env", "/.hidden/inside.txt", "/.hidden/", "/sub/../.env", "/%2eenv"]) {
        const response = await raw(ctx, get(target));
        expect(response.status, target).toBe(404);
        expect(response.body.toString()).not.toContain(DOTFILE_SECRET);
      }
    });

    it("follows symlinks that stay inside the root", async () => {
      expect((await raw(ctx, get("/link-inside.txt"))).body.toString()).toBe("hello world\n");
      expect((await raw(ctx, get("/link-sub/deep/file.txt"))).body.toString()).toBe("deep file");
    });

    it("refuses symlinks that point out of the root, even to a folder sharing its name's prefix", async () => {
      for (
        const target of [
          "/link-out.txt",
          "/link-sibling.txt",
          "/link-sibling-dir/leak.txt",
          "/link-parent/",
          "/link-parent",
        ]
      ) {
        const response = await raw(ctx, get(target));
        expect(response.status, target).toBe(404);
        expect(response.body.toString()).not.toContain(SECRET);
        expect(response.body.toString()).not.toContain(SIBLING_SECRET);
      }
    });

    it("answers a broken symlink with 404", async () => {
      expect((await raw(ctx, get("/broken-link"))).status).toBe(404);
    });
  });
}
