// Node's usual WebSocket server: the ws package on node:http, echoing each message as it came (text
// as text). Usage: node ws-node.mjs PORT
import * as http from "node:http";
import { WebSocketServer } from "ws";

const server = http.createServer((_request, response) => response.end("ok"));
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on("connection", (ws) => ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary })));
server.listen(Number(process.argv[2]), "127.0.0.1");
