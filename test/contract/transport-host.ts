/**
 * The server side of the transport contract suite (transport.test.ts), on nothing but the seam's
 * types: it listens with one adapter's Transport and lets the test drive each accepted Socket
 * over the connection itself. A connection's first line names a scenario and an id chosen by the
 * test ("send a1 1048576 65536\n"); what the Socket did (its callbacks, what write() returned) is
 * recorded under that id, and a later connection "report a1\n" reads it back as one JSON line.
 * Node runs it in vitest's process; Deno and Bun through transport-host-main.ts.
 */
import type { Socket } from "../../src/ports/socket.ts";
import type { Listener, TlsCredentials, TlsListen, Transport } from "../../src/ports/transport.ts";

/** What one connection's Socket did, in order; counters for what happens thousands of times. */
export interface Report {
  readonly events: string[];
  writes: number;
  refused: number;
  drains: number;
  written: number;
}

export interface Host {
  readonly port: number;
  /** Connections the transport handed over (a failed TLS handshake must not be one). */
  accepted(): number;
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const NEWLINE = 10;

/** Byte i of a stream the scenarios send: a pattern whose period (251) no chunk size shares. */
export function patternByte(i: number): number {
  return i % 251;
}

function pattern(from: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = patternByte(from + i);
  return bytes;
}

/**
 * Listens on a free port of 127.0.0.1 (TLS with `tls`). `reloads` are the credentials the
 * scenario "reload id n" gives Listener.setTls, by index.
 */
export async function startHost(
  transport: Transport,
  tls?: TlsListen,
  reloads: readonly TlsCredentials[] = [],
): Promise<Host> {
  const reports = new Map<string, Report>();
  let accepted = 0;
  let listener: Listener | null = null;
  const reload = (n: number): Promise<string> => {
    const credentials = reloads[n];
    if (listener?.setTls === undefined || credentials === undefined) return Promise.resolve("no setTls");
    return listener.setTls(credentials).then((change) => change.kind);
  };
  const result = await transport.listen(
    { host: "127.0.0.1", port: 0, ...(tls === undefined ? {} : { tls }) },
    (socket) => {
      accepted++;
      readCommand(
        socket,
        (line, rest, setData) => run({ socket, setData, reload }, line.split(" "), rest, reports, () => accepted),
      );
    },
  );
  if (result.kind === "failed") throw new Error(`listen failed: ${result.code} ${result.message}`);
  const bound = result.listener;
  listener = bound;
  return { port: bound.port, accepted: () => accepted, close: () => bound.close() };
}

/**
 * Collects the first line, then hands it over with the bytes after it. The Socket's onData is
 * set once (as the core sets it): later bytes go to whatever the scenario gives `setData`.
 */
function readCommand(
  socket: Socket,
  onLine: (line: string, rest: Uint8Array, setData: (fn: (chunk: Uint8Array) => void) => void) => void,
): void {
  let head: Uint8Array | null = new Uint8Array(0);
  let data: (chunk: Uint8Array) => void = () => {};
  socket.onData((chunk) => {
    if (head === null) return data(chunk);
    const joined = new Uint8Array(head.length + chunk.length);
    joined.set(head);
    joined.set(chunk, head.length);
    const at = joined.indexOf(NEWLINE);
    if (at < 0) return void (head = joined);
    head = null;
    onLine(new TextDecoder().decode(joined.subarray(0, at)), joined.slice(at + 1), (fn) => void (data = fn));
  });
}

function report(reports: Map<string, Report>, id: string): Report {
  let r = reports.get(id);
  if (r === undefined) {
    r = { events: [], writes: 0, refused: 0, drains: 0, written: 0 };
    reports.set(id, r);
  }
  return r;
}

/** An accepted Socket, and where its bytes after the command line go. */
interface Conn {
  readonly socket: Socket;
  setData(fn: (chunk: Uint8Array) => void): void;
  /** Listener.setTls with the host's reload credentials number n: "changed", "failed" or "no setTls". */
  reload(n: number): Promise<string>;
}

function run(
  { socket, setData, reload }: Conn,
  [name, id = "", ...args]: string[],
  rest: Uint8Array,
  reports: Map<string, Report>,
  accepted: () => number,
): void {
  const r = report(reports, id);
  socket.onClose(() => r.events.push("close"));
  const scenario = SCENARIOS[name ?? ""];
  if (scenario === undefined) {
    socket.write(encoder.encode(`unknown scenario ${name}\n`));
    return socket.end();
  }
  scenario({ socket, setData, reload }, r, args.map(Number), rest, reports, id, accepted);
}

type Scenario = (
  conn: Conn,
  r: Report,
  args: number[],
  rest: Uint8Array,
  reports: Map<string, Report>,
  id: string,
  accepted: () => number,
) => void;

/** Writes `total` pattern bytes in chunks of `chunk`, waiting for onDrain whenever write() says so; then `after`. */
function sendPattern(socket: Socket, r: Report, total: number, chunk: number, after: () => void): void {
  const more = (): void => {
    while (r.written < total) {
      const length = Math.min(chunk, total - r.written);
      const ok = socket.write(pattern(r.written, length));
      r.writes++;
      r.written += length;
      if (!ok) {
        r.refused++;
        return;
      }
    }
    after();
  };
  socket.onDrain(() => {
    r.drains++;
    more();
  });
  more();
}

const SCENARIOS: Record<string, Scenario> = {
  /** Answers the peer's FIN: counts the bytes before it, writes the count, then ends. */
  "half-close": ({ socket, setData }, r, _args, rest) => {
    let count = rest.length;
    setData((chunk) => void (count += chunk.length));
    socket.onEnd(() => {
      r.events.push("end");
      r.events.push(`write ${socket.write(encoder.encode(`received ${count}\n`))}`);
      socket.end();
    });
  },
  /** `send id total chunk`: the pattern, then end() (FIN once flushed). */
  send: ({ socket }, r, [total = 0, chunk = 65536]) => sendPattern(socket, r, total, chunk, () => socket.end()),
  /** `flushed id total`: one write of `total` bytes with an onFlushed, then end(). */
  flushed: ({ socket }, r, [total = 0]) => {
    socket.write(pattern(0, total), () => r.events.push("flushed"));
    socket.end();
  },
  /** `destroy id total`: one write of `total` bytes, then destroy() at once (what is queued is dropped). */
  destroy: ({ socket }, r, [total = 0]) => {
    r.events.push(`write ${socket.write(pattern(0, total))}`);
    socket.destroy();
    r.events.push("destroyed");
  },
  /** destroy(), then every other call: none may throw; write() queues nothing. */
  "after-close": ({ socket }, r) => {
    socket.destroy();
    queueMicrotask(() => {
      try {
        r.events.push(`write ${socket.write(encoder.encode("too late\n"))}`);
        socket.pause();
        socket.resume();
        socket.end();
        socket.destroy();
        r.events.push("no throw");
      } catch (error) {
        r.events.push(`threw ${(error as Error).message}`);
      }
    });
  },
  /** Pauses at once (inside onData) for `ms`, then resumes and echoes what comes. */
  pause: (conn, r, [ms = 300]) => pauseThenEcho(conn, r, ms, 0),
  /** Pauses from a timer while idle (a read pending), for `ms`, then resumes and echoes. */
  "pause-idle": (conn, r, [ms = 300]) => pauseThenEcho(conn, r, ms, 20),
  /** Writes the peer's address and port as the Socket tells them, then ends. */
  peer: ({ socket }) => {
    socket.write(encoder.encode(`${socket.remoteAddress} ${socket.remotePort}\n`));
    socket.end();
  },
  /** Does nothing until the peer's FIN, which it answers with end() (a reset only closes). */
  hold: ({ socket }, r) => {
    socket.onEnd(() => {
      r.events.push("end");
      socket.end();
    });
  },
  /** `reload id n`: Listener.setTls with the host's credentials number n; writes what it answered. */
  reload: ({ socket, reload }, _r, [n = 0]) =>
    void reload(n).then((kind) => {
      socket.write(encoder.encode(`${kind}\n`));
      socket.end();
    }),
  /** How many connections the transport handed over so far, this one included. */
  stats: ({ socket }, _r, _args, _rest, _reports, _id, accepted) => {
    socket.write(encoder.encode(JSON.stringify({ accepted: accepted() }) + "\n"));
    socket.end();
  },
  /** `report id`: what the connection with that id did, as one JSON line. */
  report: ({ socket }, _r, _args, _rest, reports, id) => {
    socket.write(encoder.encode(JSON.stringify(reports.get(id) ?? null) + "\n"));
    socket.end();
  },
};

function pauseThenEcho({ socket, setData }: Conn, r: Report, ms: number, pauseAfterMs: number): void {
  let paused = false;
  setData((chunk) => {
    if (paused) r.events.push("data while paused");
    r.events.push(`data ${chunk.length}`);
    socket.write(chunk.slice());
  });
  const pause = (): void => {
    paused = true;
    socket.pause();
    r.events.push("paused");
    setTimeout(() => {
      paused = false;
      r.events.push("resumed");
      socket.resume();
    }, ms);
  };
  if (pauseAfterMs === 0) pause();
  else setTimeout(pause, pauseAfterMs);
}
