import { describe, expect, it } from "vitest";
import {
  type Credential,
  digest,
  parseCredential,
  parseCredentialFile,
  userTable,
} from "../../../src/auth/credentials.ts";

const SHA256_SECRET = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"; // sha256("secret")
const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

function credential(text: string): Credential {
  const parsed = parseCredential(text);
  if (parsed.kind !== "ok") throw new Error(parsed.message);
  return parsed.credential;
}

describe("parseCredential: user:password, user:sha256:HEX, user:sha512:HEX", () => {
  it("a plain password, split at the first colon (a password may hold colons)", () => {
    expect(credential("alice:pa:ss")).toEqual({ user: "alice", kind: "plain", password: "pa:ss" });
  });

  it("a SHA-256 or SHA-512 digest in hex, either case", async () => {
    const c = credential(`bob:sha256:${SHA256_SECRET.toUpperCase()}`);
    expect(c.kind === "hashed" && [c.algorithm, hex(c.digest)]).toEqual(["SHA-256", SHA256_SECRET]);
    const sha512 = hex(await digest("SHA-512", "secret"));
    const d = credential(`carol:SHA512:${sha512}`);
    expect(d.kind === "hashed" && d.algorithm).toBe("SHA-512");
  });

  it.each([
    ["nocolon", /^expected /],
    [":password", /^expected /],
    ["alice:", /^no password for user 'alice'$/],
    ["alice:sha256:abc", /not the right number of hex digits/],
    [`alice:sha512:${SHA256_SECRET}`, /not the right number of hex digits/],
    ["alice:pass\nword", /control characters/],
  ])("%j is refused", (text, message) => {
    const parsed = parseCredential(text);
    expect(parsed.kind).toBe("failed");
    if (parsed.kind === "failed") expect(parsed.message).toMatch(message);
  });
});

describe("parseCredentialFile: one user a line", () => {
  it("skips blank lines and comments, and names the bad line", () => {
    const good = parseCredentialFile("# users\n\nalice:one\r\n  bob:two  \n", "users.txt");
    expect(good.kind === "ok" && good.credentials.map((c) => c.user)).toEqual(["alice", "bob"]);
    expect(parseCredentialFile("alice:one\nbroken\n", "users.txt")).toEqual({
      kind: "failed",
      message: "users.txt line 2: expected 'user:password', 'user:sha256:HEX' or 'user:sha512:HEX'",
    });
    expect(parseCredentialFile("# nobody\n", "users.txt")).toEqual({
      kind: "failed",
      message: "users.txt names no user",
    });
  });
});

describe("userTable", () => {
  it("hashes plain passwords with SHA-256 (UTF-8) and keeps given digests; the last line for a user wins", async () => {
    const table = await userTable([
      credential("alice:first"),
      credential("alice:secret"),
      credential(`bob:sha256:${SHA256_SECRET}`),
    ]);
    expect(hex(table.get("alice")!.digest)).toBe(SHA256_SECRET);
    expect(hex(table.get("bob")!.digest)).toBe(SHA256_SECRET);
    expect(table.size).toBe(2);
  });
});
