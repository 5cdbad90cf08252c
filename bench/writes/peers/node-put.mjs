// Peer: "node:http minimal, no fsync" — the least a Node upload server does: PUT streams the body
// to a temporary file in the target's folder (fs.createWriteStream), renames it over the target
// once the body is complete, answers 201; no fsync, no path checks beyond refusing "..", no limits.
// GET answers 200 "ok" (the harness's readiness probe). Never for use outside this bench.
// Usage: node node-put.mjs DIR PORT
import * as fs from "node:fs";
import http from "node:http";
import * as path from "node:path";

const [dir, port] = process.argv.slice(2);
let sequence = 0;

http
  .createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (req.method !== "PUT") {
      res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": 2 }).end("ok");
      return;
    }
    if (pathname.includes("..")) {
      res.writeHead(400, { "Content-Length": 0 }).end();
      return;
    }
    const target = path.join(dir, pathname);
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${sequence++}.tmp`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const out = fs.createWriteStream(temporary);
    const fail = () => {
      fs.rm(temporary, { force: true }, () => {});
      if (!res.headersSent) res.writeHead(500, { "Content-Length": 0 }).end();
    };
    req.on("error", fail);
    out.on("error", fail);
    out.on("finish", () => {
      fs.rename(temporary, target, (error) => {
        if (error) return fail();
        res.writeHead(201, { "Content-Length": 0 }).end();
      });
    });
    req.pipe(out);
  })
  .listen(Number(port), "127.0.0.1");
