/**
 * The architecture rules `npm test` enforces (dependency-cruiser, `npm run lint:deps` over src/,
 * runtime-adapters/ and bench/): no import cycles anywhere it cruises, the core
 * imports nothing outside src/, no lower layer imports a higher one, and the adapters go through
 * the seam. From the bottom:
 *   ports/                            the seam: what the core needs from the world (one file per port), and
 *                                     the kit only adapters use (system clock, write queue, TLS reload,
 *                                     packages/: Node's package resolution over a few file questions)
 *   version.ts                        the version
 *   io/                               helpers over the ports (read a file fully, answer and close)
 *   archive/                          archive formats (tar, zip, gzip) written as a stream of bytes: imports nothing
 *   workers/                          --workers: the supervisor of N processes on one port, over its own ports
 *   http/                             the protocol: parser, response heads, errors, limits
 *   proxy/                            who the client is behind a proxy: trust lists, forwarding fields, PROXY protocol
 *   websocket/                        RFC 6455 beside http/: handshake, frames, messages, the session; knows http/ and ports/
 *   http2/                            RFC 9113 beside http/: frames, settings, the preface, hpack/ (RFC 7541, imports nothing); knows http/ and ports/
 *   app.ts                            the seam: what a server serves
 *   connection/                       one connection, for any app
 *   server/                           listening, caps, shutdown, for any app
 *   static/, time/, fetch/            features (they know HTTP, not connections or servers); fetch/ runs fetch-handler apps
 *   auth/                             HTTP Basic in front of any app: credentials, the check, the failure limiter
 *   access-log/, metrics/             what the server's events become: log lines, Prometheus text
 *   ops/                              the operations surface: health and metrics endpoints, the observers (of connection/observer.ts)
 *   site/                             the app the command line serves, made of the features
 *   compose/                          the one composer: a SundialConfig in, the app, the listeners and the banner out
 *   serve/, cli/                      the two doors to it: serve()'s options and the command line's flags become that config
 *   index.ts                          the public API: imports what a library user needs, is imported by nothing in src/
 * runtime-adapters/ import only src/ports/, src/index.ts and the program's entry, src/cli/run.ts;
 * node/, deno/ and bun/ do not import each other, only shared-node/ (the node:* code they share).
 * runtime-adapters/hono/ ("sundial/hono", not a runtime) imports only the Deno-shaped WebSocket
 * API of src/fetch/ (and hono, its peer); nothing imports it.
 * The benches (bench/) stand outside: they use sundial as a library user does (src/index.ts, the
 * runtime adapters, dist/; bench/apps/steps.ts and bench/http2/hpack-micro.ts time pieces of the
 * core one by one), nothing imports them, and within bench/:
 *   harness/                          what every bench shares (wrk, /proc, server processes, the report file): imports no bench
 *   files/, apps/, writes/, websocket/, http2/ the benches, apart from each other
 *   ops/                              what operations features cost; runs the files bench's servers
 *   attacks/                          attack scripts; the only part that borrows test/'s helpers
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
    layer("archive-formats-know-only-ports", "archive/", "(?!ports/|archive/)"),
    layer("workers-know-only-ports", "workers/", "(?!ports/|workers/)"),
    layer(
      "http-is-the-base",
      "http/",
      "(app\\.ts|connection|server|static|time|site|cli|proxy|ops|access-log|metrics|websocket|http2)/?",
    ),
    layer("proxy-knows-only-http", "proxy/", "(?!http/|proxy/)"),
    layer("websocket-knows-only-http", "websocket/", "(?!http/|ports/|websocket/)"),
    layer("http2-knows-only-http", "http2/", "(?!http/|ports/|http2/)"),
    layer("hpack-is-pure", "http2/hpack/", "(?!http2/hpack/)"),
    layer(
      "logs-and-metrics-are-features",
      "(access-log|metrics)/",
      "(app\\.ts|connection|server|static|site|cli|serve|fetch|ops|proxy)/?",
    ),
    layer(
      "ops-knows-events-not-connections",
      "ops/",
      "(server|static|site|cli|serve|fetch|proxy)/|connection/(?!observer\\.ts)",
    ),
    layer("the-seam-knows-only-http", "app\\.ts", "(connection|server|static|time|site|cli)/"),
    layer("connection-is-below-server", "connection/", "(server|static|time|site|cli)/"),
    layer("server-serves-any-app", "server/", "(static|time|site|cli)/"),
    layer("features-know-no-connections", "(static|time|fetch)/", "(connection|server|site|cli)/"),
    layer("auth-wraps-any-app", "auth/", "(?!app\\.ts|http/|ports/|auth/)"),
    layer("fetch-apps-are-apart", "fetch/", "(static|time)/"),
    layer("static-and-time-are-apart", "static/", "time/"),
    layer("time-and-static-are-apart", "time/", "static/"),
    layer("site-is-below-cli", "site/", "(cli|server|connection)/"),
    layer("compose-is-below-the-doors", "(?!compose/|serve/|cli/|index\\.ts)", "compose/"),
    layer("serve-is-a-door", "(?!serve/|index\\.ts)", "serve/"),
    layer("the-doors-are-apart", "serve/", "cli/"),
    layer("the-public-api-is-the-top", "(?!index\\.ts)", "index\\.ts"),
    {
      name: "adapters-import-only-the-seam",
      severity: "error",
      comment:
        "an adapter imports the core only through the seam (src/ports/), the public API (src/index.ts) and the program's entry (src/cli/run.ts)",
      from: { path: "^runtime-adapters/(?!hono/)" },
      to: { path: "^src/", pathNot: "^src/(ports/|index\\.ts$|cli/run\\.ts$)" },
    },
    {
      name: "the-hono-helper-uses-the-websocket-api",
      severity: "error",
      comment:
        "runtime-adapters/hono/ (sundial/hono) builds on the Deno-shaped upgradeWebSocket() alone, so its bundle carries only that part of the core",
      from: { path: "^runtime-adapters/hono/" },
      to: {
        path: "^(src|runtime-adapters)/",
        pathNot: "^src/(index\\.ts|fetch/(upgrade-websocket|upgraded-websocket|websocket)\\.ts)$|^runtime-adapters/hono/",
      },
    },
    {
      name: "nothing-imports-the-hono-helper",
      severity: "error",
      comment: "the core and the runtimes never import hono's helper (hono is a peer of the sundial/hono subpath only)",
      from: { path: "^(src|runtime-adapters/(?!hono/))" },
      to: { path: "^runtime-adapters/hono/" },
    },
    {
      name: "each-runtime-stands-alone",
      severity: "error",
      comment:
        "a runtime's adapter does not borrow another's: node:* code they share lives in runtime-adapters/shared-node/",
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
    {
      name: "bench-uses-the-public-api",
      severity: "error",
      comment: "bench/ imports the core only through src/index.ts (else through the runtime adapters or dist/)",
      from: { path: "^bench/", pathNot: "^bench/(apps/steps|http2/hpack-micro)\\.ts$" },
      to: { path: "^src/", pathNot: "^src/index\\.ts$" },
    },
    {
      name: "bench-steps-time-the-fetch-bridge",
      severity: "error",
      comment:
        "bench/apps/steps.ts times the fetch path's steps one by one, so it reaches the bridge's internals (lazyRequest, requestUrl, toHttpResponse, RequestHead and its request fields), and nothing else",
      from: { path: "^bench/apps/steps\\.ts$" },
      to: {
        path: "^src/",
        pathNot:
          "^src/(index\\.ts|fetch/(request|response)\\.ts|http/parser/request-head\\.ts|http/request-fields\\.ts)$",
      },
    },
    {
      name: "bench-hpack-micro-times-hpack",
      severity: "error",
      comment: "bench/http2/hpack-micro.ts times HPACK's decoder and encoder (src/http2/hpack/), and nothing else of the core",
      from: { path: "^bench/http2/hpack-micro\\.ts$" },
      to: { path: "^src/", pathNot: "^src/http2/hpack/" },
    },
    {
      name: "nothing-imports-the-benches",
      severity: "error",
      comment: "bench/ uses the rest; nothing outside bench/ imports it",
      from: { pathNot: "^bench/" },
      to: { path: "^bench/" },
    },
    {
      name: "bench-harness-knows-no-bench",
      severity: "error",
      comment: "bench/harness/ is what the benches share: it imports none of them",
      from: { path: "^bench/harness/" },
      to: { path: "^bench/(?!harness/)" },
    },
    {
      name: "the-benches-are-apart",
      severity: "error",
      comment: "bench/files/, bench/apps/, bench/writes/, bench/websocket/ and bench/http2/ share only the harness",
      from: { path: "^bench/(files|apps|writes|websocket|http2)/" },
      to: { path: "^bench/(?!harness/)", pathNot: "^bench/$1/" },
    },
    {
      name: "only-attacks-borrow-test-helpers",
      severity: "error",
      comment: "bench/attacks/ reuses test/support/'s server and slow-client helpers; no other bench imports test/",
      from: { path: "^bench/(?!attacks/)" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "node_modules" },
  },
};
