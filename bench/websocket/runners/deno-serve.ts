// Deno's own server and WebSocket (Deno.serve, Deno.upgradeWebSocket) echoing each message as it
// came, the shape Deno's documentation gives. Usage: deno run --allow-all deno-serve.ts PORT

/** The part of Deno's namespace used here (this file is type-checked with Node's types, not Deno's). */
interface DenoSocket {
  binaryType: string;
  onmessage: ((event: { data: string | ArrayBuffer }) => void) | null;
  send(data: string | ArrayBuffer): void;
}
interface DenoGlobal {
  readonly args: readonly string[];
  serve(options: { port: number; hostname: string; onListen?: () => void }, handler: (r: Request) => Response): unknown;
  upgradeWebSocket(request: Request): { socket: DenoSocket; response: Response };
}
const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;

deno.serve({ port: Number(deno.args[0]), hostname: "127.0.0.1", onListen: () => {} }, (request) => {
  if (request.headers.get("upgrade") !== "websocket") return new Response("ok");
  const { socket, response } = deno.upgradeWebSocket(request);
  socket.binaryType = "arraybuffer";
  socket.onmessage = (event) => socket.send(event.data);
  return response;
});
export {};
