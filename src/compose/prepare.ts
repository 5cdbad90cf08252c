/**
 * What a sundial needs read, made or opened before it is composed: the folder's real path, the
 * TLS credentials, the app, the access log, the catching of the app's errors. Each failure is a
 * value, in the order a person would fix them; whatever was opened before a failure is closed.
 */
import type { App } from "../app.ts";
import { type AppErrors, catchAppErrors } from "../ops/app-errors.ts";
import { siteRoot } from "../site/site.ts";
import { sweepAtStart } from "./stale-temps.ts";
import { loadApp } from "./app-source.ts";
import { CLEAR_TEXT_WARNING, prepareAuth, type PreparedAuth } from "./auth.ts";
import { networkAddresses } from "./banner.ts";
import type { SundialConfig } from "./config.ts";
import type { ComposeDeps } from "./deps.ts";
import { type Ops, startOps } from "./ops.ts";
import { type PreparedTls, prepareTls, selfSignedHosts } from "./tls.ts";

export interface Prepared {
  /** The folder served, by its real path; null: none. */
  readonly root: string | null;
  readonly tls: PreparedTls & { kind: "off" | "on" };
  /** The app, tagged so that the errors it leaves uncaught name their request; null: none. */
  readonly app: App | null;
  /** The users and their reload (--auth, --auth-file); null: no authentication. */
  readonly auth: PreparedAuth | null;
  readonly ops: Ops;
  readonly appErrors: AppErrors | null;
  /** This machine's addresses worth printing. */
  readonly addresses: readonly string[];
  /** Stops catching the app's errors and writes out the access log. */
  close(): void;
}

export type Preparation = { readonly kind: "prepared"; readonly prepared: Prepared } | {
  readonly kind: "failed";
  readonly message: string;
};

export async function prepare(
  deps: ComposeDeps,
  config: SundialConfig,
  draining: () => boolean,
  warn: (line: string) => void,
): Promise<Preparation> {
  const folder = config.site?.root == null ? null : await siteRoot(deps.fs, config.site.root);
  if (folder?.kind === "failed") return folder;
  const root = folder?.root ?? null;
  // docs/static-files.md, Path safety: the check of opened files is sound only where descriptors can be named.
  if (root !== null && !deps.fs.namesOpenFiles) warn(UNSOUND_SYMLINK_CHECK);
  if (root !== null && config.sweepTemps && config.site?.options.upload === true) {
    await sweepAtStart(deps, root, config.site.options, warn);
  }
  const addresses = networkAddresses(deps.networkInterfaces());
  const tls = await prepareTls(
    deps,
    config.tls,
    config.handshakeTimeoutMs,
    config.names,
    () => selfSignedHosts(config.host, addresses),
  );
  if (tls.kind === "failed") return tls;
  const auth = config.auth === null ? null : await prepareAuth(deps.fs, config.auth, config.names);
  if (auth?.kind === "failed") return auth;
  // docs/authentication.md: Basic sends passwords in clear; a trusted proxy may be the one that encrypts.
  if (auth !== null && tls.kind === "off" && config.ops.trustProxy === null) warn(CLEAR_TEXT_WARNING);
  const loaded = config.app === null
    ? null
    : await loadApp(deps, config.app, config.port, tls.kind === "on" ? "https" : "http");
  if (loaded?.kind === "failed") {
    return { kind: "failed", message: `${config.names.app} ${appName(config)}: ${loaded.message}` };
  }
  const ops = startOps(deps, config.ops, draining);
  if (ops.kind === "failed") return ops;
  // docs/apps-and-library.md, "Errors the app leaves uncaught": logged, counted, and the server goes on.
  const appErrors = loaded === null || !config.catchUncaught ? null : catchAppErrors(deps, ops.onAppError);
  const app = loaded === null ? null : appErrors === null ? loaded.app : appErrors.tag(loaded.app);
  const close = (): void => {
    appErrors?.stop();
    ops.close();
  };
  return { kind: "prepared", prepared: { root, tls, app, auth: auth?.auth ?? null, ops, appErrors, addresses, close } };
}

function appName(config: SundialConfig): string {
  return config.app?.kind === "module" ? config.app.path : "";
}

const UNSOUND_SYMLINK_CHECK =
  "sundial: warning: this runtime cannot name open files (Deno: /proc/self/fd needs --allow-all; macOS, Windows: no /proc), so whoever can rename entries inside the folder could race the symlink check";
