/**
 * sundial's core as a library: a server for any App on the ports a runtime supplies. The
 * runtime adapters (runtime-adapters/<runtime>/) supply the ports; the command line composes the
 * static site and /time (src/cli/main.ts) the way an embedder would.
 */
export type { App, Client, Handler } from "./app.ts";
export {
  type RawService,
  type RunningServer,
  type ServerDeps,
  type ServerOptions,
  type StartResult,
  startServer,
} from "./server/server.ts";
export { site, type SiteDeps } from "./site/site.ts";
export { DEFAULT_SITE, type SiteOptions } from "./static/options.ts";
export {
  DEFAULT_LIMITS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  type HttpLimits,
} from "./http/limits.ts";
export type { FileBody, HttpResponse, PartsBody, StreamBody, StreamSink } from "./http/response.ts";
export type { RequestHead } from "./http/parser/request-head.ts";
export { headerValue, joinedHeaderValue } from "./http/header-field.ts";
export type * from "./ports/socket.ts";
export type * from "./ports/transport.ts";
export type * from "./ports/file-system.ts";
export type * from "./ports/compress.ts";
export type * from "./ports/clock.ts";
export type * from "./ports/console-output.ts";
export type * from "./ports/log-file.ts";
export type * from "./ports/uncaught.ts";
export { VERSION } from "./version.ts";
export {
  type LogReopen,
  type Reload,
  serve,
  type ServeDeps,
  type ServeOptions,
  type Server,
  type ServerPorts,
  type ServeTls,
} from "./serve/serve.ts";
export { fetchApp, type FetchAppOptions, type FetchHandler, type ServeInfo } from "./fetch/fetch-app.ts";
export type { RequestContext } from "./app.ts";
export type { BodyRead, RequestBody } from "./http/request-body.ts";
export { type SendStatus, ServerWebSocket, type UpgradeOptions, type WebSocketHandler } from "./fetch/websocket.ts";
export type { WebSocketData } from "./fetch/topics.ts";
export { upgradeWebSocket, type UpgradeWebSocketOptions, type WebSocketUpgrade } from "./fetch/upgrade-websocket.ts";
export { type BinaryType, type SocketData, UpgradedWebSocket } from "./fetch/upgraded-websocket.ts";
export {
  CloseEvent,
  type CloseEventInit,
  ErrorEvent,
  type ErrorEventInit,
  SundialCloseEvent,
  SundialErrorEvent,
} from "./fetch/websocket-events.ts";
