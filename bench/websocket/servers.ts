// The WebSocket bench's servers: sundial on each runtime and executable running the echo app
// (runners/echo-app.mjs) with --app, and each runtime's usual WebSocket server with the same echo.
import * as path from "node:path";
import { BIN, REPO } from "../harness/repo.ts";
import { RUN_FORMS } from "../harness/sundial.ts";

const RUNNERS = path.join(REPO, "bench", "websocket", "runners");
const APP = path.join(RUNNERS, "echo-app.mjs");

export interface WebSocketServerSpec {
  readonly name: string;
  readonly kind: "sundial" | "peer";
  readonly command: (port: number) => string[];
  /** What the report says about it. */
  readonly note?: string;
}

const sundialFlags = (
  port: number,
): string[] => ["--app", APP, "--port", String(port), "--host", "127.0.0.1", "--quiet"];

export const WEBSOCKET_SERVERS: readonly WebSocketServerSpec[] = [
  ...RUN_FORMS.map(([runtime, argv]): WebSocketServerSpec => ({
    name: `sundial-${runtime}`,
    kind: "sundial",
    command: (port) => [...argv, ...sundialFlags(port)],
  })),
  {
    name: "sundial-bun-exe",
    kind: "sundial",
    command: (port) => [path.join(REPO, "dist", "sundial-bun"), ...sundialFlags(port)],
  },
  {
    name: "Bun.serve",
    kind: "peer",
    command: (port) => [path.join(BIN, "bun"), path.join(RUNNERS, "bun-serve.ts"), String(port)],
    note: "the same echo-app.mjs module on Bun's own server",
  },
  {
    name: "Deno.serve",
    kind: "peer",
    command: (
      port,
    ) => [path.join(BIN, "deno"), "run", "--allow-all", path.join(RUNNERS, "deno-serve.ts"), String(port)],
    note: "Deno.serve with Deno.upgradeWebSocket, onmessage sending the data back",
  },
  {
    name: "ws (node)",
    kind: "peer",
    command: (port) => ["node", path.join(RUNNERS, "ws-node.mjs"), String(port)],
    note: "npm's ws package on node:http, perMessageDeflate off: Node's usual WebSocket server",
  },
];
