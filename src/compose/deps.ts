import type { AppErrorDeps } from "../ops/app-errors.ts";
import type { Compressor } from "../ports/compress.ts";
import type { HeldBody } from "../ports/held-body.ts";
import type { ServerDeps } from "../server/server.ts";
import type { SiteDeps } from "../site/site.ts";
import type { OpsDeps } from "./ops.ts";

/** An interface address as node:os and Deno's networkInterfaces() both describe it. */
export interface NetworkInterface {
  readonly family: string;
  readonly address: string;
  /** Loopback; Deno does not say, so an address in 127.0.0.0/8 counts as internal there. */
  readonly internal?: boolean;
}

/** What the composer needs from the runtime: the server's, the site's and the operations' deps, and a few facts. */
export interface ComposeDeps extends ServerDeps, SiteDeps, OpsDeps, AppErrorDeps {
  /** The site's (--compress) and the server's (WebSocket's permessage-deflate). */
  readonly compressor: Compressor;
  /** The runtime and its version, e.g. "node 20.20.2". */
  readonly runtime: string;
  /** This machine's network interfaces, for the "Network:" lines and a self-signed certificate's names (empty when the runtime may not list them). */
  readonly networkInterfaces: () => ReadonlyArray<NetworkInterface>;
  /** Loads a module from disk (--app), the runtime's import() of the path; rejects as import() does. */
  readonly importModule: (path: string) => Promise<unknown>;
  /** A fetch Response's body when the runtime holds it in memory (src/ports/held-body.ts); absent: the runtime does not say. */
  readonly heldBody?: HeldBody;
}
