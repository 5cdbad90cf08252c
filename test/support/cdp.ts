/**
 * A minimal Chrome DevTools Protocol client for headless Chromium, with no npm dependency.
 *
 * It talks CDP over `--remote-debugging-pipe`: Chromium reads commands from its fd 3 and writes
 * answers and events to its fd 4, each message one JSON text ended by a NUL byte. That is the
 * transport Puppeteer and Playwright use by default; compared with `--remote-debugging-port` it
 * needs no WebSocket client (Node 20 has no global WebSocket), no port to discover and no race
 * with another process for that port, and the pipe closes by itself when Chromium goes away.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";

/**
 * The Chromium to drive: $CHROMIUM if set (only that one, so `CHROMIUM=none` shows the skip), else
 * where the Debian package `chromium` puts its binary.
 */
export function findChromium(): string | undefined {
  const wanted = process.env.CHROMIUM;
  const candidates = wanted !== undefined && wanted !== ""
    ? [wanted]
    : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface CdpEvent {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly sessionId?: string;
}

type Pending = {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};

export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private buffered = "";
  private stderrText = "";
  private readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly userDataDir: string;

  private constructor(child: ChildProcess, userDataDir: string) {
    this.child = child;
    this.userDataDir = userDataDir;
    const output = child.stdio[4] as Readable;
    output.setEncoding("utf8");
    output.on("data", (chunk: string) => this.receive(chunk));
    output.on("error", () => {});
    (child.stdio[3] as Writable).on("error", () => {});
    child.stderr!.on("data", (d: Buffer) => (this.stderrText = (this.stderrText + d.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    void this.exited.then(() => this.failAll(new Error(`chromium exited\n${this.stderrText}`)));
  }

  /** Starts headless Chromium with a fresh temporary profile. */
  static async launch(
    executable: string,
    options: { width: number; height: number; env?: Record<string, string>; args?: readonly string[] },
  ): Promise<Chromium> {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-chromium-"));
    const args = [
      "--headless=new",
      "--disable-gpu",
      "--no-sandbox", // the tests run as root, where Chromium's sandbox cannot start
      "--remote-debugging-pipe",
      `--user-data-dir=${userDataDir}`,
      `--window-size=${options.width},${options.height}`,
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      "--hide-scrollbars",
      "--mute-audio",
      ...(options.args ?? []),
      "about:blank",
    ];
    const child = spawn(executable, args, {
      // fd 3: our commands in, fd 4: Chromium's answers out.
      stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
      env: { ...process.env, ...options.env },
      detached: true, // its own process group, so close() can end the helpers it starts, too
    });
    const browser = new Chromium(child, userDataDir);
    try {
      await browser.send("Browser.getVersion", {}, undefined, 20_000);
    } catch (error) {
      await browser.close();
      throw error;
    }
    return browser;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one command (to the browser, or to a page's session) and resolves with its result. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
    timeoutMs = 15_000,
  ): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = JSON.stringify(
      sessionId === undefined ? { id, method, params } : { id, method, params, sessionId },
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP ${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const input = this.child.stdio[3] as Writable;
      if (input.destroyed || this.child.exitCode !== null) {
        this.settle(id, new Error(`CDP ${method}: chromium is not running\n${this.stderrText}`));
        return;
      }
      input.write(`${message}\0`);
    });
  }

  /** Calls listener with every event; returns a function that stops it. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event that matches, or rejects after timeoutMs. */
  waitForEvent(match: (event: CdpEvent) => boolean, timeoutMs: number, what: string): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onEvent((event) => {
        if (!match(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  /** Asks Chromium to quit, kills its process group if it has not within 5 s, removes the profile. */
  async close(): Promise<void> {
    const pid = this.child.pid;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.send("Browser.close", {}, undefined, 3000).catch(() => {});
      const quit = await Promise.race([this.exited.then(() => true), sleep(5000).then(() => false)]);
      if (!quit && pid !== undefined) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          this.child.kill("SIGKILL");
        }
        await Promise.race([this.exited, sleep(5000)]);
      }
    }
    // Helpers (crashpad, zygotes) may still be writing into the profile for a moment.
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        fs.rmSync(this.userDataDir, { recursive: true, force: true });
        return;
      } catch {
        await sleep(200);
      }
    }
  }

  stderr(): string {
    return this.stderrText;
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end: number;
    while ((end = this.buffered.indexOf("\0")) >= 0) {
      const text = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 1);
      let message: {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
        sessionId?: string;
      };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        continue; // not CDP: ignore it rather than fail every pending command
      }
      if (message.id !== undefined) {
        const error = message.error === undefined ? undefined : new Error(`CDP error: ${message.error.message}`);
        this.settle(message.id, error, message.result ?? {});
      } else if (message.method !== undefined) {
        const event: CdpEvent = { method: message.method, params: message.params ?? {}, sessionId: message.sessionId };
        for (const listener of [...this.listeners]) listener(event);
      }
    }
  }

  private settle(id: number, error: Error | undefined, result: Record<string, unknown> = {}): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (error === undefined) pending.resolve(result);
    else pending.reject(error);
  }

  private failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
