// Peer: Node's own http server with serve-handler (the engine of `npx serve`), plus /time.
// Usage: node node-serve-handler.mjs DIR PORT
import http from "node:http";
import handler from "serve-handler";

const [dir, port] = process.argv.slice(2);
http
  .createServer((req, res) => {
    if (req.url === "/time") {
      const now = Date.now();
      const body = JSON.stringify({
        utc_datetime: new Date(now).toISOString(),
        unixtime: Math.floor(now / 1000),
        unixtime_ms: now,
      });
      res.writeHead(200, {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Length": Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    handler(req, res, { public: dir });
  })
  .listen(Number(port), "127.0.0.1");
