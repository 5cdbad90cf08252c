import { describe, expect, it } from "vitest";
import { parseResponses } from "../../support/http-response-parser.ts";
import { rawExchange } from "../../support/raw-client.ts";
import { fetchPath, get, raw, type SuiteContext } from "../context.ts";

/** The zone the suite starts every server in (via TZ), so offsets are not all +00:00. */
export const SUITE_TIME_ZONE = "Australia/Darwin";

export function timeTests(ctx: SuiteContext): void {
  describe("/time", () => {
    it("answers JSON about one instant, within 2 s of this clock", async () => {
      const before = Date.now();
      const response = await fetchPath(ctx, "/time");
      const after = Date.now();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = (await response.json()) as Record<string, unknown>;
      const ms = body.unixtime_ms as number;
      expect(Number.isInteger(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(before - 2000);
      expect(ms).toBeLessThanOrEqual(after + 2000);
      expect(body.unixtime).toBe(Math.floor(ms / 1000));
      expect(body.utc_datetime).toBe(new Date(ms).toISOString());
      expect(body.timezone).toBe(SUITE_TIME_ZONE);
      expect(body.utc_offset).toBe("+09:30");
      const local = new Date(ms + 570 * 60_000).toISOString().slice(0, -1);
      expect(body.datetime).toBe(`${local}+09:30`);
    });

    it("answers HEAD with the same head and no body", async () => {
      const response = await raw(ctx, "HEAD /time HTTP/1.1\r\nHost: x\r\n\r\n", true);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(Number(response.headers.get("content-length"))).toBeGreaterThan(100);
      expect(response.body.length).toBe(0);
    });

    it("refuses other methods with 405 and Allow", async () => {
      const response = await raw(ctx, "POST /time HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    });

    it("has every worldtimeapi field, and the request's own: client_ip, received_ms <= sent_ms", async () => {
      const body = JSON.parse((await raw(ctx, get("/time"))).body.toString()) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual([
        "utc_datetime",
        "datetime",
        "unixtime",
        "unixtime_ms",
        "timezone",
        "utc_offset",
        "raw_offset",
        "dst",
        "dst_offset",
        "dst_from",
        "dst_until",
        "abbreviation",
        "day_of_week",
        "day_of_year",
        "week_number",
        "client_ip",
        "received_ms",
        "sent_ms",
      ]);
      // Darwin: +09:30 all year, no DST.
      expect(body).toMatchObject({
        raw_offset: 34200,
        dst: false,
        dst_offset: 0,
        dst_from: null,
        dst_until: null,
        abbreviation: "ACST",
      });
      expect(body.client_ip).toBe("127.0.0.1");
      expect(body.received_ms as number).toBeLessThanOrEqual(body.sent_ms as number);
      const local = new Date((body.unixtime_ms as number) + 570 * 60_000);
      expect(body.day_of_week).toBe(local.getUTCDay());
    });

    it("?tz= and /time/Area/Location pick a zone; an unknown zone is a 400 naming it", async () => {
      for (const target of ["/time?tz=America/New_York", "/time/America/New_York", "/time?tz=america/new_york"]) {
        const response = await raw(ctx, get(target));
        expect(response.status, target).toBe(200);
        const body = JSON.parse(response.body.toString()) as Record<string, unknown>;
        expect(body.timezone, target).toBe("America/New_York");
        expect(["-05:00", "-04:00"]).toContain(body.utc_offset);
      }
      const three = JSON.parse((await raw(ctx, get("/time/America/Argentina/Buenos_Aires"))).body.toString()) as Record<
        string,
        unknown
      >;
      expect(three.timezone).toBe("America/Argentina/Buenos_Aires");
      for (const target of ["/time?tz=Mars/Olympus", "/time/Mars/Olympus"]) {
        const response = await raw(ctx, get(target));
        expect(response.status, target).toBe(400);
        expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
        expect(JSON.parse(response.body.toString())).toEqual({ error: "unknown time zone", timezone: "Mars/Olympus" });
        expect(response.closed, "the connection is not closed for a bad zone").toBe(false);
      }
    });

    it("/time.txt, /time/Zone.txt and Accept: text/plain give key: value lines", async () => {
      for (
        const [target, extra] of [["/time.txt", ""], ["/time", "Accept: text/plain\r\n"], [
          "/time/Asia/Kolkata.txt",
          "",
        ]] as const
      ) {
        const response = await raw(ctx, get(target, extra));
        expect(response.status, target).toBe(200);
        expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(response.headers.get("cache-control")).toBe("no-store");
        const lines = response.body.toString().trimEnd().split("\n");
        expect(lines[0]).toMatch(/^utc_datetime: \d{4}-\d\d-\d\dT/);
        expect(lines).toContain(target.includes("Kolkata") ? "timezone: Asia/Kolkata" : `timezone: ${SUITE_TIME_ZONE}`);
        expect(lines).toContain("client_ip: 127.0.0.1");
      }
    });

    it("Accept: text/event-stream: an event each second, chunked, until the client leaves", async () => {
      const started = Date.now();
      const result = await rawExchange(ctx.server().port, get("/time?tz=UTC", "Accept: text/event-stream\r\n"), {
        until: (data) => (data.toString().match(/^data: /gm) ?? []).length >= 2,
        timeoutMs: 5000,
      });
      const [response, ...more] = parseResponses(result.data, { ended: result.closed });
      expect(more).toEqual([]);
      expect([response!.version, response!.status, response!.reason]).toEqual(["1.1", 200, "OK"]);
      expect(response!.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      // So that nginx passes each event on at once, not in bursts from its proxy buffer.
      expect(response!.headers.get("x-accel-buffering")).toBe("no");
      expect([response!.headers.get("transfer-encoding"), response!.framing, response!.complete]).toEqual([
        "chunked",
        "chunked",
        false,
      ]);
      expect(response!.headers.get("cache-control")).toBe("no-store");
      const text = response!.body.toString();
      const events = [...text.matchAll(/^data: (.*)$/gm)].map((m) =>
        JSON.parse(m[1]!) as Record<string, number | string>
      );
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events[0]!.timezone).toBe("UTC");
      expect(Math.abs((events[0]!.unixtime_ms as number) - started)).toBeLessThan(2000);
      expect(events[1]!.unixtime_ms as number).toBeGreaterThan(events[0]!.unixtime_ms as number);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it("HEAD of the event stream: the head only", async () => {
      const response = await raw(ctx, "HEAD /time HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n", true);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(response.body.length).toBe(0);
    });

    it("ignores a query string", async () => {
      const response = await raw(ctx, get("/time?x=1"));
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString()).timezone).toBe(SUITE_TIME_ZONE);
    });
  });
}
