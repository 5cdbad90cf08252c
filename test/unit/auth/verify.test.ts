import { describe, expect, it } from "vitest";
import { parseCredential, userTable } from "../../../src/auth/credentials.ts";
import { sameBytes, verify } from "../../../src/auth/verify.ts";

async function table(...lines: string[]) {
  return userTable(lines.map((line) => {
    const parsed = parseCredential(line);
    if (parsed.kind !== "ok") throw new Error(parsed.message);
    return parsed.credential;
  }));
}

describe("verify", () => {
  it("a known user with the right password, plain or hashed; nothing else", async () => {
    const users = await table(
      "alice:secret",
      "bob:sha256:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
    );
    expect(await verify(users, "alice", "secret")).toBe(true);
    expect(await verify(users, "bob", "secret")).toBe(true);
    expect(await verify(users, "alice", "Secret")).toBe(false);
    expect(await verify(users, "alice", "")).toBe(false);
    expect(await verify(users, "nobody", "secret")).toBe(false);
    expect(await verify(users, "Alice", "secret")).toBe(false);
  });

  it("SHA-512 digests", async () => {
    const sha512 = new Uint8Array(await crypto.subtle.digest("SHA-512", new TextEncoder().encode("pw")));
    const hex = [...sha512].map((b) => b.toString(16).padStart(2, "0")).join("");
    const users = await table(`carol:sha512:${hex}`);
    expect(await verify(users, "carol", "pw")).toBe(true);
    expect(await verify(users, "carol", "pw2")).toBe(false);
  });
});

describe("sameBytes", () => {
  it("compares every byte and the lengths", () => {
    expect(sameBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(sameBytes(new Uint8Array([1, 2, 3]), new Uint8Array([0, 2, 3]))).toBe(false);
    expect(sameBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});
