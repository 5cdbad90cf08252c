// Peer: Deno.serve (native HTTP in Deno) streaming files from Deno.open, plus /time.
// (@std/http's serveDir would be the usual pick, but JSR is not reachable here.)
// Usage: deno run --allow-net --allow-read deno-serve.ts DIR PORT
const [dir, port] = Deno.args as [string, string];
const root = await Deno.realPath(dir);

Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen: () => {} }, async (request) => {
  const { pathname } = new URL(request.url);
  if (pathname === "/time") {
    const now = Date.now();
    return Response.json(
      { utc_datetime: new Date(now).toISOString(), unixtime: Math.floor(now / 1000), unixtime_ms: now },
      { headers: { "Cache-Control": "no-store" } },
    );
  }
  const file = `${root}${decodeURIComponent(pathname).replaceAll("..", "")}`;
  try {
    const handle = await Deno.open(file, { read: true });
    const info = await handle.stat();
    if (!info.isFile) {
      handle.close();
      return new Response("Not Found", { status: 404 });
    }
    return new Response(handle.readable, {
      headers: { "Content-Length": String(info.size), "Content-Type": "application/octet-stream" },
    });
  } catch {
    return new Response("Not Found", { status: 404 });
  }
});
