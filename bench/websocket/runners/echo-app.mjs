// The WebSocket echo app of the WebSocket bench, in Bun's shape: sundial runs it with --app, Bun.serve
// with the same module (bun-serve.ts). Each message goes back as it came; any plain request is "ok"
// (the bench's readiness probe).
export default {
  fetch(request, server) {
    if (server.upgrade(request)) return undefined;
    return new Response("ok");
  },
  websocket: {
    message(ws, message) {
      ws.send(message);
    },
  },
};
