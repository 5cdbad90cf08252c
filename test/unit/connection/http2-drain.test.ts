import { describe, expect, it } from "vitest";
import type { HttpResponse } from "../../../src/http/response.ts";
import { ERROR_CODE, text } from "../../support/h2-test-client.ts";
import { connectH2 } from "./http2-harness.ts";

/** src/connection/linger.ts: the lingering close waits this long for the client to be quiet. */
const LINGER_QUIET_MS = 100;

describe("HTTP/2 at shutdown (RFC 9113 §6.8)", () => {
  it("GOAWAY names the last stream taken; it finishes, a stream opened after is not served, then the connection ends", async () => {
    const asked: string[] = [];
    let answer: (response: HttpResponse) => void = () => {};
    const h = connectH2({
      handle: (router) => (head, context) => {
        asked.push(head.target);
        if (head.target !== "/slow") return router(head, context);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const slow = h.get("/slow");
    await h.settle();
    const { closed } = await h.shutdown();
    h.pump();
    const goaway = h.client.serverGoaway;
    expect([goaway?.errorCode, goaway?.lastStreamId]).toEqual([ERROR_CODE.NO_ERROR, slow]);
    const after = h.get("/time");
    await h.settle();
    expect(h.response(after).status).toBeNull();
    expect(h.conn.ended).toBe(false);
    answer({ status: 200, headers: [], body: new TextEncoder().encode("finished\n") });
    await h.settle();
    expect([h.response(slow).status, text(h.response(slow).body), h.response(slow).ended]).toEqual([
      200,
      "finished\n",
      true,
    ]);
    expect(asked).toEqual(["/slow"]);
    // Its last GOAWAY out, the connection lingers (quiet for 100 ms) before it closes (§6.8).
    h.clock.advance(LINGER_QUIET_MS);
    expect([h.conn.ended, h.conn.destroyed]).toEqual([true, false]);
    await h.settle();
    h.clock.advance(50);
    await closed;
  });

  it("an idle HTTP/2 connection gets GOAWAY and closes at once", async () => {
    const h = connectH2();
    const id = h.get("/time");
    await h.settle();
    expect(h.response(id).status).toBe(200);
    await h.shutdown();
    h.pump();
    expect(h.client.serverGoaway?.lastStreamId).toBe(id);
    h.clock.advance(LINGER_QUIET_MS);
    expect(h.conn.ended).toBe(true);
  });

  it("a stream still in flight at the end of the grace is cut with the connection", async () => {
    const h = connectH2({ handle: () => () => new Promise(() => {}) });
    h.get("/never");
    await h.settle();
    const { closed } = await h.shutdown();
    h.clock.advance(5_000);
    await closed;
    expect(h.conn.destroyed).toBe(true);
  });
});
