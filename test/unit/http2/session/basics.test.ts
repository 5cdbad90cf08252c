import { describe, expect, it } from "vitest";
import { SETTING, text } from "../../../support/h2-test-client.ts";
import { harness, okText } from "../session-harness.ts";

describe("Http2Session: the start and one request", () => {
  it("sends its SETTINGS and raises the connection window first (§3.4, §6.9.2)", () => {
    const h = harness();
    h.connect();
    const [settings, update] = h.client.frames;
    expect(settings?.type).toBe("SETTINGS");
    if (settings?.type !== "SETTINGS") return;
    expect(settings.ack).toBe(false);
    expect(settings.settings).toEqual([
      { id: SETTING.MAX_CONCURRENT_STREAMS, value: 100 },
      { id: SETTING.INITIAL_WINDOW_SIZE, value: 1 << 20 },
      { id: SETTING.MAX_HEADER_LIST_SIZE, value: 65536 },
    ]);
    expect(update).toMatchObject({ type: "WINDOW_UPDATE", streamId: 0, increment: (2 << 20) - 65535 });
    // The client's SETTINGS acknowledged.
    expect(h.client.framesOf("SETTINGS").filter((f) => f.ack)).toHaveLength(1);
    expect(h.session.settingsReceived).toBe(true);
  });

  it("hands a GET to the app and sends its response", () => {
    const h = harness({
      app: (stream) => stream.respond(okText("hello"), [["date", "today"], ["server", "sundial"]], false),
    });
    h.connect();
    h.client.request(1, { path: "/x?y", headers: [["user-agent", "t"]] });
    h.pump();
    expect(h.requests).toHaveLength(1);
    const head = h.requests[0]!.head;
    expect(head).toMatchObject({ method: "GET", target: "/x?y", version: "2.0", host: "localhost" });
    expect(h.requests[0]!.body).toBeNull();
    const response = h.client.response(1);
    expect(response.status).toBe(200);
    expect(response.headers).toEqual([
      ["date", "today"],
      ["server", "sundial"],
      ["content-type", "text/plain"],
      ["content-length", "5"],
    ]);
    expect(text(response.body)).toBe("hello");
    expect(response.ended).toBe(true);
    expect(h.session.streamsInFlight).toBe(0);
  });
});
