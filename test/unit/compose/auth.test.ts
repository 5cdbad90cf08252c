import { describe, expect, it } from "vitest";
import { prepareAuth } from "../../../src/compose/auth.ts";
import type { AuthConfig } from "../../../src/compose/config.ts";
import type { FileSystem } from "../../../src/ports/file-system.ts";
import { FLAG_NAMES } from "../../../src/cli/command-config.ts";
import { FakeFileSystem } from "../../support/fake-file-system.ts";

/** A file system whose files the test replaces between reads (the fake's files are fixed at construction). */
function swappable(files: Record<string, string>): { fs: FileSystem; swap(files: Record<string, string>): void } {
  let current = new FakeFileSystem(files);
  const fs = new Proxy({} as FileSystem, {
    get: (_, key) => {
      const value = (current as unknown as Record<string | symbol, unknown>)[key];
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
  return { fs, swap: (next) => (current = new FakeFileSystem(next)) };
}

const config = (file: string | null): AuthConfig => ({
  credentials: [{ user: "inline", kind: "plain", password: "x" }],
  file,
  scope: "all",
  paths: [],
});

describe("prepareAuth: --auth and --auth-file, reloaded", () => {
  it("the inline users and the file's, in one table", async () => {
    const { fs } = swappable({ "/etc/users": "alice:one\nbob:two\n" });
    const prepared = await prepareAuth(fs, config("/etc/users"), FLAG_NAMES);
    expect(prepared.kind === "ok" && [...prepared.auth.users().keys()]).toEqual(["inline", "alice", "bob"]);
  });

  it("a file that is missing or has a bad line fails the start, naming the option", async () => {
    const { fs } = swappable({ "/etc/users": "alice:one\nbroken\n" });
    expect(await prepareAuth(fs, config("/etc/users"), FLAG_NAMES)).toEqual({
      kind: "failed",
      message: "--auth-file: /etc/users line 2: expected 'user:password', 'user:sha256:HEX' or 'user:sha512:HEX'",
    });
    expect(await prepareAuth(fs, config("/etc/none"), FLAG_NAMES)).toMatchObject({
      kind: "failed",
      message: expect.stringMatching(/^--auth-file: cannot read \/etc\/none/),
    });
  });

  it("reload reads the file again; a bad file keeps the users in use", async () => {
    const { fs, swap } = swappable({ "/etc/users": "alice:one\n" });
    const prepared = await prepareAuth(fs, config("/etc/users"), FLAG_NAMES);
    if (prepared.kind !== "ok") throw new Error(prepared.message);
    swap({ "/etc/users": "carol:three\n" });
    expect(await prepared.auth.reload()).toEqual({ kind: "reloaded", message: "reloaded /etc/users (2 users)" });
    expect([...prepared.auth.users().keys()]).toEqual(["inline", "carol"]);
    swap({ "/etc/users": "nonsense\n" });
    const failed = await prepared.auth.reload();
    expect(failed.kind).toBe("failed");
    expect(failed.message).toMatch(/line 1: .*; still using the users before$/);
    expect([...prepared.auth.users().keys()]).toEqual(["inline", "carol"]);
  });

  it("without a file there is nothing to reload", async () => {
    const prepared = await prepareAuth(new FakeFileSystem(), config(null), FLAG_NAMES);
    if (prepared.kind !== "ok") throw new Error(prepared.message);
    expect(await prepared.auth.reload()).toEqual({ kind: "unchanged", message: "nothing to reload (no --auth-file)" });
  });
});
