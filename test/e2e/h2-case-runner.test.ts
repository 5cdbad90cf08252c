/**
 * The HTTP/2 conformance cases checked for vacuity: played against a scripted server that does
 * nothing but its handshake and PING answers (test/support/h2-scripted-server.ts), only the cases
 * whose outcome is "ignored" or an acknowledgement may pass; every error case, every response
 * case must fail. Against one that fails every connection with a GOAWAY of a code no case names
 * (INADEQUATE_SECURITY), every connection-error and stream-error case must fail too. So a case
 * cannot pass by a server's silence or by any GOAWAY at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeGoaway } from "../../src/http2/frame-writer.ts";
import { play } from "../support/h2-case-runner.ts";
import { H2_CASES } from "../support/h2-cases.ts";
import { type Scripted, scriptedServer } from "../support/h2-scripted-server.ts";

/** The cases a server that answers nothing but SETTINGS and PINGs meets: ignoring is all they ask. */
const PASS_BY_SILENCE = [
  "3.5/1", // the server's first frame is SETTINGS
  "4.1/1",
  "4.1/2",
  "5.1/5",
  "5.1/15",
  "5.5/1",
  "6.5.2/5",
  "6.5.3/2",
  "6.7/1",
  "6.7/2",
  "6.9/4",
  "7/1",
  "7/2",
];

async function playAll(server: Scripted): Promise<{ passed: string[]; failed: string[] }> {
  const endpoint = { host: "127.0.0.1", port: server.port, tls: false };
  const outcomes = await Promise.all(H2_CASES.map(async (c) => ({ id: c.id, outcome: await play(endpoint, c) })));
  return {
    passed: outcomes.filter((o) => o.outcome.pass && o.outcome.notApplicable === undefined).map((o) => o.id),
    failed: outcomes.filter((o) => !o.outcome.pass).map((o) => o.id),
  };
}

describe("the HTTP/2 conformance cases are not vacuous", () => {
  let silent: Scripted | undefined;
  let hostile: Scripted | undefined;
  beforeAll(async () => {
    silent = await scriptedServer(() => {});
    hostile = await scriptedServer((frame, socket) => {
      if (frame.type !== "SETTINGS" && frame.type !== "PING") socket.end(encodeGoaway(0, "INADEQUATE_SECURITY"));
    });
  });
  afterAll(async () => {
    await silent?.close();
    await hostile?.close();
  });

  it("against a server that ignores everything, only the cases that ask for nothing else pass", async () => {
    const { passed } = await playAll(silent!);
    expect(passed.sort()).toEqual([...PASS_BY_SILENCE].sort());
  }, 30_000);

  it("against a server that answers every frame with GOAWAY INADEQUATE_SECURITY, no error case passes", async () => {
    const { passed } = await playAll(hostile!);
    const errorCases = H2_CASES.filter((c) => c.expect.kind === "connection-error" || c.expect.kind === "stream-error");
    expect(passed.filter((id) => errorCases.some((c) => c.id === id))).toEqual([]);
  }, 30_000);
});
