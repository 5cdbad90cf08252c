import { describe, expect, it } from "vitest";
import { get, raw, type SuiteContext, url } from "./context.ts";

/** The zone the suite starts every server in (via TZ), so offsets are not all +00:00. */
export const SUITE_TIME_ZONE = "Australia/Darwin";

export function timeTests(ctx: SuiteContext): void {
  describe("/time", () => {
    it("answers JSON about one instant, within 2 s of this clock", async () => {
      const before = Date.now();
      const response = await fetch(url(ctx, "/time"));
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

    it("ignores a query string", async () => {
      const response = await raw(ctx, get("/time?x=1"));
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString()).timezone).toBe(SUITE_TIME_ZONE);
    });
  });
}
