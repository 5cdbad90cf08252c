// Node's floor for hello: a plain node:http server writing "Hello, world!" itself, no fetch API
// (no Request, no Response). Usage: node node-http.mjs APP PORT (APP: hello only)
import * as http from "node:http";

const [name, port] = process.argv.slice(2);
if (name !== "hello" || !/^\d+$/.test(port ?? "")) throw new Error("usage: node node-http.mjs hello PORT");
const body = "Hello, world!";
http.createServer((_request, response) => {
  response.writeHead(200, { "content-type": "text/plain;charset=UTF-8", "content-length": body.length });
  response.end(body);
}).listen(Number(port), "127.0.0.1");
