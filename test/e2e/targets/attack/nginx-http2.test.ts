/**
 * The HTTP/2 attacks (parts/http2-attack-tests.ts) proven against nginx over h2c and TLS, its
 * limits pinned in test/support/nginx-h2-deviations.ts, in the attack suite (it wants the machine
 * to itself). sundial's targets run the same part with SUNDIAL_H2_BOUNDS once sundial speaks
 * HTTP/2. Skipped with the reason when nginx is missing (and cannot be installed), or openssl for TLS.
 */
import { describe, it } from "vitest";
import { findNginx } from "../../../support/nginx.ts";
import { nginxH2Spec, nginxTlsSkip } from "../../../support/nginx-h2.ts";
import { NGINX_H2_ATTACK_BOUNDS } from "../../../support/nginx-h2-deviations.ts";
import { http2AttackTests } from "../../parts/http2-attack-tests.ts";

const NGINX = findNginx();

if ("skip" in NGINX) {
  describe("HTTP/2 attacks on nginx", () => {
    it.skip(`skipped: ${NGINX.skip}`, () => {});
  });
} else {
  http2AttackTests(nginxH2Spec(NGINX.path, false), NGINX_H2_ATTACK_BOUNDS);
  const tlsSkip = nginxTlsSkip();
  if (tlsSkip === null) http2AttackTests(nginxH2Spec(NGINX.path, true), NGINX_H2_ATTACK_BOUNDS);
  else {
    describe("HTTP/2 attacks on nginx over TLS", () => {
      it.skip(`skipped: ${tlsSkip}`, () => {});
    });
  }
}
