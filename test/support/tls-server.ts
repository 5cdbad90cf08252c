import * as path from "node:path";
import { REPO_ROOT, type RunningSundial, startSundial, type Target } from "./server-process.ts";
import type { TestCertificates } from "./tls-certs.ts";
import { until } from "./wait.ts";

/** sundial serving static/ over HTTPS with the test certificates and --redirect-http on a free port; the port it redirects from. */
export async function startHttpsWithRedirect(
  target: Target,
  certs: TestCertificates,
  extra: readonly string[] = [],
): Promise<{ server: RunningSundial; redirectPort: number }> {
  const server = await startSundial(target, [
    path.join(REPO_ROOT, "static"),
    "--quiet",
    "--tls-cert",
    certs.chain,
    "--tls-key",
    certs.key,
    "--redirect-http",
    "0",
    ...extra,
  ]);
  await until(() => /Redirect:/.test(server.stderr()), 2000);
  const redirectPort = Number(/Redirect: http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.stderr())?.[1]);
  return { server, redirectPort };
}
