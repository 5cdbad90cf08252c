import { describe, expect, it } from "vitest";
import { parseCli, type ServeCommand } from "../../../src/cli/arguments.ts";
import { commandConfig } from "../../../src/cli/command-config.ts";
import { serveConfig } from "../../../src/serve/serve-config.ts";

function serve(argv: string[]): ServeCommand {
  const command = parseCli(argv, {});
  if (command.kind !== "serve") throw new Error(JSON.stringify(command));
  return command;
}

function error(argv: string[]): string {
  const command = parseCli(argv, {});
  if (command.kind !== "error") throw new Error(JSON.stringify(command));
  return command.message;
}

const SHA = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

describe("--auth, --auth-file, --auth-scope", () => {
  it("off by default", () => {
    expect(serve([]).auth).toBe(null);
  });

  it("--auth repeats; the scope defaults to all", () => {
    expect(serve(["--auth", "alice:one", "--auth=bob:sha256:" + SHA]).auth).toEqual({
      credentials: [
        { user: "alice", kind: "plain", password: "one" },
        { user: "bob", kind: "hashed", algorithm: "SHA-256", digest: expect.any(Uint8Array) },
      ],
      file: null,
      scope: "all",
      paths: [],
    });
  });

  it("--auth-file alone, with --auth-scope writes", () => {
    expect(serve(["--auth-file", "users.txt", "--auth-scope", "writes"]).auth).toEqual({
      credentials: [],
      file: "users.txt",
      scope: "writes",
      paths: [],
    });
  });

  it("--auth-path repeats, each in its canonical form", () => {
    const argv = [
      "--auth",
      "a:b",
      "--auth-path",
      "/private/",
      "--auth-path=//%70rivate2//x/",
      "--auth-path",
      "/a/../b",
    ];
    expect(serve(argv).auth?.paths).toEqual(["/private", "/private2/x", "/b"]);
  });

  it.each([
    [["--auth"], "option '--auth' needs 'user:password', 'user:sha256:HEX' or 'user:sha512:HEX'"],
    [
      ["--auth", "nocolon"],
      "invalid value for --auth: expected 'user:password', 'user:sha256:HEX' or 'user:sha512:HEX'",
    ],
    [
      ["--auth", "a:sha256:12"],
      "invalid value for --auth: the digest for user 'a' is not the right number of hex digits",
    ],
    [["--auth-file"], "option '--auth-file' needs a file of users"],
    [["--auth", "a:b", "--auth-scope", "some"], "invalid value 'some' for --auth-scope (expected all or writes)"],
    [["--auth-scope", "writes"], "--auth-scope needs --auth or --auth-file"],
    [["--auth-path", "/private/"], "--auth-path needs --auth or --auth-file"],
    [
      ["--auth", "a:b", "--auth-path", "private"],
      "invalid value 'private' for --auth-path (expected a URL path such as /private/)",
    ],
    [
      ["--auth", "a:b", "--auth-path", "/../x"],
      "invalid value '/../x' for --auth-path (expected a URL path such as /private/)",
    ],
  ])("%j: %s", (argv, message) => {
    expect(error(argv)).toBe(message);
  });

  it("a refused --auth never repeats its value (it may be a password)", () => {
    expect(error(["--auth", "alice:sha256:hunter2"])).not.toContain("hunter2");
  });
});

describe("serve({ auth }) means what the flags mean", () => {
  it("users, file and scope", () => {
    const fromServe = serveConfig({
      fetch: () => new Response(),
      auth: { users: ["alice:one", `bob:sha256:${SHA}`], file: "users.txt", scope: "writes", paths: ["/private/"] },
    });
    const fromCli = commandConfig(serve([
      "--auth",
      "alice:one",
      "--auth",
      `bob:sha256:${SHA}`,
      "--auth-file",
      "users.txt",
      "--auth-scope",
      "writes",
      "--auth-path",
      "/private",
    ]));
    expect(fromServe.kind === "ok" && fromServe.value.auth).toEqual(fromCli.auth);
    expect(serveConfig({ fetch: () => new Response() })).toMatchObject({ kind: "ok", value: { auth: null } });
  });

  it.each([
    [{ users: ["nocolon"] }, /^invalid auth\.users entry: expected /],
    [{ scope: "some" as "all", users: ["a:b"] }, /^invalid value 'some' for auth\.scope \(expected all or writes\)$/],
    [{}, /^auth needs users or a file$/],
    [{ users: ["a:b"], paths: ["private"] }, /^invalid value 'private' for auth\.paths /],
  ])("%j is refused", (auth, message) => {
    const config = serveConfig({ fetch: () => new Response(), auth });
    expect(config.kind).toBe("failed");
    if (config.kind === "failed") expect(config.message).toMatch(message);
  });
});
