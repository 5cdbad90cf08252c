import {
  reusePortSupport,
  type SpawnResult,
  type WorkerDeps,
  type WorkerExit,
  type WorkerSupport,
} from "../../src/ports/workers.ts";

/**
 * --workers on Deno: every worker listens with reusePort (SO_REUSEPORT, Linux), which Deno 2.9
 * allows only with --unstable-net (without it, Deno.listen({ reusePort }) ends the process with
 * code 70, which no program can catch or test for beforehand). So the supervisor, which needs
 * no reusePort itself, starts each worker as `deno run <its permissions> --unstable-net main.ts
 * args`. A compiled executable runs itself again (the flag must then be given to deno compile).
 * Each worker's stdin is a pipe from the supervisor that is never written: when it closes, the
 * supervisor is gone.
 */
export function denoWorkers(): WorkerDeps {
  return {
    support: support(),
    cores: () => navigator.hardwareConcurrency,
    onSupervisorGone: (fn) => {
      void (async () => {
        const buffer = new Uint8Array(256);
        try {
          while ((await Deno.stdin.read(buffer)) !== null);
        } catch {
          // closed: the same news
        }
        fn();
      })();
    },
  };
}

/** A `deno compile` executable (which runs itself again, with the flags it was compiled with). */
const COMPILED = Deno.build.standalone;

/**
 * The run form's V8 flags (README, Running on each runtime): a small young generation and
 * conservative heap growth, which keep 1,000 slow readers under 150 MB (about 175 MB without).
 * A process cannot read back the flags it was started with, so every worker gets these.
 */
const V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--heap-growing-percent=20";

/** The permissions Deno can grant a whole (scoped ones, --allow-read=DIR, cannot be read back, so a worker would not get them). */
const PERMISSIONS = ["read", "write", "net", "env", "sys", "run", "ffi", "import"] as const;

function support(): WorkerSupport {
  if (Deno.permissions.querySync({ name: "run" }).state !== "granted") {
    return { kind: "unavailable", reason: "Deno starts workers only with --allow-run (or --allow-all)" };
  }
  return reusePortSupport(Deno.build.os, {
    sharing: "kernel",
    description: "SO_REUSEPORT (deno run --unstable-net)",
    spawn,
  });
}

/** The flags that give a worker the permissions this process has. */
function permissionFlags(): string[] {
  const granted = PERMISSIONS.filter((name) => {
    try {
      return Deno.permissions.querySync({ name }).state === "granted";
    } catch {
      return false; // a name this Deno does not know
    }
  });
  return granted.length === PERMISSIONS.length ? ["--allow-all"] : granted.map((name) => `--allow-${name}`);
}

function spawn(env: Readonly<Record<string, string>>): SpawnResult {
  const args = COMPILED
    ? Deno.args
    : ["run", ...permissionFlags(), "--unstable-net", V8_FLAGS, Deno.mainModule, ...Deno.args];
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(Deno.execPath(), {
      args,
      env: { ...env },
      stdin: "piped",
      stdout: "inherit",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { kind: "failed", message: (error as Error).message };
  }
  let ended = false;
  const exited = child.status.then((status): WorkerExit => {
    ended = true;
    return { code: status.signal === null ? status.code : null, signal: status.signal };
  });
  return {
    kind: "spawned",
    worker: {
      pid: child.pid,
      stderr: child.stderr,
      exited,
      kill: (signal) => {
        if (ended) return;
        try {
          child.kill(signal);
        } catch {
          // it has just ended
        }
      },
    },
  };
}
