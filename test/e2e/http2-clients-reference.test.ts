/**
 * The HTTP/2 interop helpers (test/support/h2-clients.ts) proven against nginx, over h2c with
 * prior knowledge and over TLS with ALPN: curl, nghttp, Node's node:http2 and Python's h2 each
 * GET the index, a 256 KiB file (past the initial flow-control window) and a missing path, and
 * say they spoke HTTP/2. Once sundial speaks HTTP/2 the same helpers run against its targets. A
 * missing tool is a skipped test whose name says why; so is a missing nginx (or openssl, for TLS).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { H2_CLIENT_TOOLS } from "../support/h2-clients.ts";
import { type H2Server, largeBody, SITE, writeH2Site } from "../support/h2-servers.ts";
import { findNginx } from "../support/nginx.ts";
import { nginxH2Spec, nginxTlsSkip } from "../support/nginx-h2.ts";

const NGINX = findNginx();

if ("skip" in NGINX) {
  describe("HTTP/2 clients against nginx", () => {
    it.skip(`skipped: ${NGINX.skip}`, () => {});
  });
} else {
  for (const tls of [false, true]) {
    const spec = nginxH2Spec(NGINX.path, tls);
    const tlsSkip = tls ? nginxTlsSkip() : null;
    describe.skipIf(tlsSkip !== null)(`HTTP/2 clients against ${spec.name}`, () => {
      let server: H2Server | undefined;
      let root: string | undefined;
      beforeAll(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-h2-clients-"));
        writeH2Site(root);
        server = await spec.start(root);
      }, 60_000);
      afterAll(async () => {
        await server?.stop();
        if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
      });

      for (const tool of H2_CLIENT_TOOLS) {
        const missing = tool.missing();
        const title = `${tool.name}: GET /, /large.bin and a missing path over ${tls ? "h2" : "h2c"}`;
        if (missing !== null) {
          it.skip(`${title} (skipped: ${missing})`, () => {});
          continue;
        }
        it(title, async () => {
          const index = await tool.get(server!.endpoint, SITE.index);
          expect(index.status).toBe(200);
          expect(index.protocol).toBe(tls ? "h2" : "h2c");
          expect(index.body.toString("latin1")).toBe(SITE.indexBody);
          expect(index.headers).toContainEqual(["content-type", "text/html"]);
          expect(index.headers).toContainEqual(["content-length", String(SITE.indexBody.length)]);
          const large = await tool.get(server!.endpoint, SITE.large);
          expect(large.status).toBe(200);
          expect(large.body.equals(largeBody()), `${large.body.length} octets`).toBe(true);
          const missingPath = await tool.get(server!.endpoint, "/no-such-file");
          expect(missingPath.status).toBe(404);
        });
      }
    });
    if (tlsSkip !== null) {
      describe(`HTTP/2 clients against ${spec.name}`, () => {
        it.skip(`skipped: ${tlsSkip}`, () => {});
      });
    }
  }
}
