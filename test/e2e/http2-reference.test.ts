/**
 * The HTTP/2 conformance suite (parts/http2-conformance-tests.ts) proven against a reference:
 * nginx serving a folder over h2c with prior knowledge and over TLS with ALPN h2, its known
 * deviations from RFC 9113 pinned in test/support/nginx-h2-deviations.ts. The same part runs
 * against sundial's targets once sundial speaks HTTP/2, without deviations.
 *
 * nginx is /usr/sbin/nginx; when it is missing and we are root, Debian's nginx-light (which has
 * the http2 module) is installed; otherwise the file is one skipped test whose name says why.
 * The TLS half needs openssl for its certificate, and is skipped the same way without it.
 */
import { describe, it } from "vitest";
import { findNginx } from "../support/nginx.ts";
import { nginxH2Spec, nginxTlsSkip } from "../support/nginx-h2.ts";
import { NGINX_DEVIATIONS } from "../support/nginx-h2-deviations.ts";
import { http2ConformanceTests } from "./parts/http2-conformance-tests.ts";

const NGINX = findNginx();

if ("skip" in NGINX) {
  describe("HTTP/2 conformance on nginx", () => {
    it.skip(`skipped: ${NGINX.skip}`, () => {});
  });
} else {
  http2ConformanceTests(nginxH2Spec(NGINX.path, false), { deviations: NGINX_DEVIATIONS });
  const tlsSkip = nginxTlsSkip();
  if (tlsSkip === null) {
    http2ConformanceTests(nginxH2Spec(NGINX.path, true), { deviations: NGINX_DEVIATIONS });
  } else {
    describe("HTTP/2 conformance on nginx over TLS", () => {
      it.skip(`skipped: ${tlsSkip}`, () => {});
    });
  }
}
