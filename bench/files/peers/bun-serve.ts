// Peer: Bun.serve (native HTTP in Bun) serving files with Bun.file, plus /time.
// Usage: bun bun-serve.ts DIR PORT
import * as path from "node:path";

const [dir, port] = process.argv.slice(2) as [string, string];
const root = path.resolve(dir);

Bun.serve({
  hostname: "127.0.0.1",
  port: Number(port),
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === "/time") {
      const now = Date.now();
      return Response.json(
        { utc_datetime: new Date(now).toISOString(), unixtime: Math.floor(now / 1000), unixtime_ms: now },
        { headers: { "Cache-Control": "no-store" } },
      );
    }
    const file = Bun.file(path.join(root, path.normalize(decodeURIComponent(pathname))));
    if (!(await file.exists())) return new Response("Not Found", { status: 404 });
    return new Response(file);
  },
});
