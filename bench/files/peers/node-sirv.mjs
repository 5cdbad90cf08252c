// Peer: Node's own http server with sirv (what many Node users pick), plus a /time JSON handler.
// Usage: node node-sirv.mjs DIR PORT
import http from "node:http";
import sirv from "sirv";

const [dir, port] = process.argv.slice(2);
const files = sirv(dir, { dev: false, etag: true });
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
    files(req, res, () => {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("Not Found");
    });
  })
  .listen(Number(port), "127.0.0.1");
