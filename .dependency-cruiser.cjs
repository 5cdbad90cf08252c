/**
 * The architecture rules `npm test` enforces (dependency-cruiser): no import cycles, the core
 * imports nothing outside src/, no lower layer imports a higher one, and the adapters go through
 * the seam. From the bottom:
 *   ports/                            the seam: what the core needs from the world (one file per port), and
 *                                     the kit only adapters use (system clock, write queue, TLS reload)
 *   version.ts                        the version
 *   io/                               helpers over the ports (read a file fully, answer and close)
 *   workers/                          --workers: the supervisor of N processes on one port, over its own ports
 *   http/                             the protocol: parser, response heads, errors, limits
 *   proxy/                            who the client is behind a proxy: trust lists, forwarding fields, PROXY protocol
 *   app.ts                            the seam: what a server serves
 *   connection/                       one connection, for any app
 *   server/                           listening, caps, shutdown, for any app
 *   static/, time/, fetch/            features (they know HTTP, not connections or servers); fetch/ runs fetch-handler apps
 *   access-log/, metrics/             what the server's events become: log lines, Prometheus text
 *   ops/                              the operations surface: health and metrics endpoints, the observers (of connection/observer.ts)
 *   site/                             the app the command line serves, made of the features
 *   serve/                            the library's serve(): composes server, fetch app and site, as cli/ does
 *   cli/                              the program: parses the command line, composes the rest
 *   index.ts                          the public API: imports what a library user needs, is imported by nothing in src/
 * runtime-adapters/ import only src/ports/, src/index.ts and the program's entry, src/cli/run.ts;
 * node/, deno/ and bun/ do not import each other, only shared-node/ (the node:* code they share).
 */
const layer = (name, from, forbidden) => ({
  name,
  severity: "error",
  comment: `${from} must not import ${forbidden}`,
  from: { path: `^src/${from}` },
  to: { path: `^src/${forbidden}` },
});

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "import cycles", from: {}, to: { circular: true } },
    {
      name: "core-is-runtime-neutral",
      severity: "error",
      comment: "src/ imports only from src/ (no node:*, no npm packages, no adapters)",
      from: { path: "^src/" },
      to: { pathNot: "^src/" },
    },
    layer("ports-are-the-leaf", "ports/", "(?!ports/)"),
    layer("version-is-a-leaf", "version\\.ts", ""),
    layer("io-knows-only-ports", "io/", "(?!ports/|io/)"),
    layer("workers-know-only-ports", "workers/", "(?!ports/|workers/)"),
    layer("http-is-the-base", "http/", "(app\\.ts|connection|server|static|time|site|cli|proxy|ops|access-log|metrics)/?"),
    layer("proxy-knows-only-http", "proxy/", "(?!http/|proxy/)"),
    layer("logs-and-metrics-are-features", "(access-log|metrics)/", "(app\\.ts|connection|server|static|site|cli|serve|fetch|ops|proxy)/?"),
    layer("ops-knows-events-not-connections", "ops/", "(server|static|site|cli|serve|fetch|proxy)/|connection/(?!observer\\.ts)"),
    layer("the-seam-knows-only-http", "app\\.ts", "(connection|server|static|time|site|cli)/"),
    layer("connection-is-below-server", "connection/", "(server|static|time|site|cli)/"),
    layer("server-serves-any-app", "server/", "(static|time|site|cli)/"),
    layer("features-know-no-connections", "(static|time|fetch)/", "(connection|server|site|cli)/"),
    layer("fetch-apps-are-apart", "fetch/", "(static|time)/"),
    layer("static-and-time-are-apart", "static/", "time/"),
    layer("time-and-static-are-apart", "time/", "static/"),
    layer("site-is-below-cli", "site/", "(cli|server|connection)/"),
    layer("serve-composes-from-the-top", "(?!serve/|index\\.ts|cli/)", "serve/"),
    layer("the-public-api-is-the-top", "(?!index\\.ts)", "index\\.ts"),
    {
      name: "adapters-import-only-the-seam",
      severity: "error",
      comment:
        "an adapter imports the core only through the seam (src/ports/), the public API (src/index.ts) and the program's entry (src/cli/run.ts)",
      from: { path: "^runtime-adapters/" },
      to: { path: "^src/", pathNot: "^src/(ports/|index\\.ts$|cli/run\\.ts$)" },
    },
    {
      name: "each-runtime-stands-alone",
      severity: "error",
      comment: "a runtime's adapter does not borrow another's: node:* code they share lives in runtime-adapters/shared-node/",
      from: { path: "^runtime-adapters/(node|deno|bun)/" },
      to: { path: "^runtime-adapters/(node|deno|bun)/", pathNot: "^runtime-adapters/$1/" },
    },
    {
      name: "shared-node-knows-no-runtime",
      severity: "error",
      comment: "runtime-adapters/shared-node/ is used by the runtimes' adapters, never the other way",
      from: { path: "^runtime-adapters/shared-node/" },
      to: { path: "^runtime-adapters/(node|deno|bun)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "node_modules" },
  },
};
