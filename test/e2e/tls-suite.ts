import { X509Certificate } from "node:crypto";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../support/fixture.ts";
import { useTls } from "../support/raw-client.ts";
import { type RunningSundial, startSundial, type Target } from "../support/server-process.ts";
import { makeTestCertificate, opensslMissing, type TestCertificate } from "../support/tls-test-certificate.ts";
import type { SuiteContext, SuitePart } from "./context.ts";
import { protocolTests } from "./parts/protocol-tests.ts";
import { safetyTests } from "./parts/safety-tests.ts";
import { staticTests } from "./parts/static-tests.ts";
import { SUITE_TIME_ZONE, timeTests } from "./parts/time-tests.ts";

const TLS_PARTS: readonly SuitePart[] = [timeTests, staticTests, safetyTests, protocolTests];

/**
 * The context-based parts of the black-box suite (suite.ts) again, over TLS: the target started
 * with --tls-cert/--tls-key (a certificate made once per file by the openssl CLI), the raw client
 * switched to node:tls for this file (useTls: vitest isolates modules per test file), and
 * fetchPath going through node:https with the certificate as the CA.
 *
 * Left out: the conformance corpus (parts/conformance-tests.ts). The shared corpus runner (outside
 * this repository, ../shared/conformance/runner.mjs from its root)
 * opens plain TCP connections only (net.connect; its --help has no TLS option), and putting a
 * TLS-terminating relay in front would test the relay's way of closing (FIN or reset, which the
 * runner checks) rather than sundial's. The parts that start servers of their own start them without
 * TLS, so they run in suite.ts only.
 */
export function defineTlsSuite(target: Target): void {
  const skip = target.skip ?? opensslMissing();
  describe.skipIf(skip !== undefined)(`sundial over TLS on ${target.name}`, () => {
    let server: RunningSundial | undefined;
    let fixture: Fixture | undefined;
    let certificate: TestCertificate | undefined;
    beforeAll(async () => {
      certificate = makeTestCertificate();
      useTls({ ca: certificate.certPem });
      fixture = createFixture();
      server = await startSundial(target, [
        fixture.root,
        "--tls-cert",
        certificate.certFile,
        "--tls-key",
        certificate.keyFile,
      ], {
        TZ: SUITE_TIME_ZONE,
      });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      fixture?.remove();
      certificate?.remove();
      useTls(undefined);
    });
    const ctx: SuiteContext = {
      target,
      server: () => server!,
      fixture: () => fixture!,
      ca: () => certificate!.certPem,
    };

    it("announces https and negotiates TLS 1.2 or 1.3, ALPN http/1.1, with the test certificate", async () => {
      expect(server!.scheme).toBe("https");
      const seen = await new Promise<{ protocol: string | null; alpn: string | false | null; fingerprint: string }>(
        (resolve, reject) => {
          const socket = tls.connect(
            {
              host: "127.0.0.1",
              port: server!.port,
              ca: certificate!.certPem,
              servername: "localhost",
              ALPNProtocols: ["http/1.1"],
            },
            () => {
              resolve({
                protocol: socket.getProtocol(),
                alpn: socket.alpnProtocol,
                fingerprint: socket.getPeerCertificate().fingerprint256,
              });
              socket.destroy();
            },
          );
          socket.on("error", reject);
        },
      );
      expect(["TLSv1.2", "TLSv1.3"]).toContain(seen.protocol);
      expect(seen.alpn).toBe("http/1.1");
      expect(seen.fingerprint).toBe(new X509Certificate(certificate!.certPem).fingerprint256);
    });

    for (const part of TLS_PARTS) part(ctx);
  });
  if (skip !== undefined) {
    describe(`sundial over TLS on ${target.name}`, () => {
      it.skip(`skipped: ${skip}`, () => {});
    });
  }
}
