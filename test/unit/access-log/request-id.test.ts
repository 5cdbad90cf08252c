import { describe, expect, it } from "vitest";
import { processPrefix, requestIds } from "../../../src/access-log/request-id.ts";

const fixed = (bytes: Uint8Array): void => {
  bytes.set([0x1f, 0x0c, 0x9a, 0x3e]);
};

describe("requestIds", () => {
  it("is a random prefix of eight hex digits and a base-36 counter from 1", () => {
    const next = requestIds(fixed);
    expect(next()).toBe("1f0c9a3e-1");
    expect(next()).toBe("1f0c9a3e-2");
    for (let i = 3; i < 36; i++) next();
    expect(next()).toBe("1f0c9a3e-10");
  });

  it("makes unique ids from the Web Crypto random source", () => {
    const next = requestIds();
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i++) ids.add(next());
    expect(ids.size).toBe(100_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
  });

  it("gives each generator its own prefix", () => {
    const prefixes = new Set(Array.from({ length: 20 }, () => processPrefix()));
    expect(prefixes.size).toBe(20);
    expect(processPrefix((b) => b.fill(0))).toBe("00000000");
  });
});
