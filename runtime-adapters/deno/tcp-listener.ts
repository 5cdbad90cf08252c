import type { ListenOptions, ListenResult } from "../../src/ports/transport.ts";

function errorCode(error: unknown): string {
  if (error instanceof Deno.errors.AddrInUse) return "EADDRINUSE";
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) return "EACCES";
  if (error instanceof Deno.errors.AddrNotAvailable) return "EADDRNOTAVAIL";
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : "UNKNOWN";
}

/**
 * Listens with Deno.listen (plain TCP, for HTTP and for HTTPS alike: runtime-adapters/deno/tls-transport.ts
 * speaks TLS over the accepted connections) and hands each accepted Deno.TcpConn to `onConn`.
 */
export function listenTcp(options: ListenOptions, onConn: (conn: Deno.TcpConn) => void): ListenResult {
  // --workers: reusePort (which Deno allows only with --unstable-net; workers are started with it).
  const shared = options.reusePort === true ? { reusePort: true } : {};
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: options.host, port: options.port, transport: "tcp", ...shared });
  } catch (error) {
    return { kind: "failed", code: errorCode(error), message: error instanceof Error ? error.message : String(error) };
  }
  void acceptLoop(listener, onConn);
  return {
    kind: "listening",
    listener: {
      port: listener.addr.port,
      close: () => Promise.resolve().then(() => listener.close()).catch(() => {}), // catch: already closed
    },
  };
}

async function acceptLoop(listener: Deno.TcpListener, onConn: (conn: Deno.TcpConn) => void): Promise<void> {
  for (;;) {
    let conn: Deno.TcpConn;
    try {
      conn = await listener.accept();
    } catch (error) {
      if (error instanceof Deno.errors.BadResource) return; // the listener was closed
      // A failed accept (e.g. too many open files) must not stop the server, nor spin: wait a
      // little. (Deno's node:net listener stops accepting for good after one: measured.)
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    onConn(conn);
  }
}
