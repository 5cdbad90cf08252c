import { describe, expect, it } from "vitest";
import { type Prepared, tlsReload } from "../../../src/ports/tls-reload.ts";
import type { TlsCredentials } from "../../../src/ports/transport.ts";

const credentials = (cert: string): TlsCredentials => ({ cert, key: "key", passphrase: null });

/** Prepares "listener <cert>" unless the certificate is "bad"; records what was retired. */
function harness() {
  const retired: string[] = [];
  const prepare = (c: TlsCredentials): Prepared<string> =>
    c.cert === "bad" ? { kind: "failed", message: "refused" } : { kind: "ready", value: `listener ${c.cert}` };
  const reload = tlsReload("listener first", prepare, (old) => retired.push(old));
  return { reload, retired };
}

describe("tlsReload", () => {
  it("swaps to what the new credentials became, then retires the old one", async () => {
    const { reload, retired } = harness();
    expect(await reload.setTls(credentials("second"))).toEqual({ kind: "changed" });
    expect(reload.current()).toBe("listener second");
    expect(retired).toEqual(["listener first"]);
  });

  it("keeps the one in use when the runtime refuses the new credentials", async () => {
    const { reload, retired } = harness();
    expect(await reload.setTls(credentials("bad"))).toEqual({ kind: "failed", message: "refused" });
    expect(reload.current()).toBe("listener first");
    expect(retired).toEqual([]);
  });

  it("retires each one in turn over several reloads", async () => {
    const { reload, retired } = harness();
    await reload.setTls(credentials("2"));
    await reload.setTls(credentials("bad"));
    await reload.setTls(credentials("3"));
    expect(reload.current()).toBe("listener 3");
    expect(retired).toEqual(["listener first", "listener 2"]);
  });

  it("retires nothing by default (a secure context needs no stopping)", async () => {
    const reload = tlsReload(1, () => ({ kind: "ready", value: 2 }));
    expect(await reload.setTls(credentials("x"))).toEqual({ kind: "changed" });
    expect(reload.current()).toBe(2);
  });
});
