import { describe, expect, it } from "vitest";
import { formatOffset, timeFields, zoneOffsetMinutes } from "../../src/routes/time-fields.ts";

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
};

/** [instant (UTC), zone, expected datetime, expected offset] */
type Row = readonly [string, string, string, string];

function checkRows(rows: readonly Row[]): void {
  for (const [instant, zone, datetime, offset] of rows) {
    const fields = timeFields(at(instant), zone);
    expect({ instant, zone, datetime: fields.datetime, offset: fields.utc_offset }).toEqual({
      instant,
      zone,
      datetime,
      offset,
    });
  }
}

describe("timeFields", () => {
  it("gives every field for an instant in UTC", () => {
    expect(timeFields(at("2026-01-01T00:00:00.000Z"), "UTC")).toEqual({
      utc_datetime: "2026-01-01T00:00:00.000Z",
      datetime: "2026-01-01T00:00:00.000+00:00",
      unixtime: 1767225600,
      unixtime_ms: 1767225600000,
      timezone: "UTC",
      utc_offset: "+00:00",
    });
  });

  it("gives every field for Europe/Berlin in summer", () => {
    expect(timeFields(at("2026-07-01T12:00:00.000Z"), "Europe/Berlin")).toEqual({
      utc_datetime: "2026-07-01T12:00:00.000Z",
      datetime: "2026-07-01T14:00:00.000+02:00",
      unixtime: 1782907200,
      unixtime_ms: 1782907200000,
      timezone: "Europe/Berlin",
      utc_offset: "+02:00",
    });
  });

  it("Europe/Berlin in winter is +01:00", () => {
    checkRows([["2026-01-15T12:00:00.000Z", "Europe/Berlin", "2026-01-15T13:00:00.000+01:00", "+01:00"]]);
  });

  it("Europe/Berlin around the spring-forward instant 2026-03-29T01:00:00Z", () => {
    checkRows([
      ["2026-03-29T00:59:59.999Z", "Europe/Berlin", "2026-03-29T01:59:59.999+01:00", "+01:00"],
      ["2026-03-29T01:00:00.000Z", "Europe/Berlin", "2026-03-29T03:00:00.000+02:00", "+02:00"],
    ]);
  });

  it("Europe/Berlin around the fall-back instant 2026-10-25T01:00:00Z (02:xx happens twice)", () => {
    checkRows([
      ["2026-10-25T00:59:59.999Z", "Europe/Berlin", "2026-10-25T02:59:59.999+02:00", "+02:00"],
      ["2026-10-25T01:00:00.000Z", "Europe/Berlin", "2026-10-25T02:00:00.000+01:00", "+01:00"],
      ["2026-10-25T00:30:00.000Z", "Europe/Berlin", "2026-10-25T02:30:00.000+02:00", "+02:00"],
      ["2026-10-25T01:30:00.000Z", "Europe/Berlin", "2026-10-25T02:30:00.000+01:00", "+01:00"],
    ]);
  });

  it("America/New_York around 2026-03-08 (EST to EDT at 07:00Z)", () => {
    checkRows([
      ["2026-03-08T06:59:59.000Z", "America/New_York", "2026-03-08T01:59:59.000-05:00", "-05:00"],
      ["2026-03-08T07:00:00.000Z", "America/New_York", "2026-03-08T03:00:00.000-04:00", "-04:00"],
    ]);
  });

  it("America/New_York around 2026-11-01 (EDT to EST at 06:00Z)", () => {
    checkRows([
      ["2026-11-01T05:59:59.000Z", "America/New_York", "2026-11-01T01:59:59.000-04:00", "-04:00"],
      ["2026-11-01T06:00:00.000Z", "America/New_York", "2026-11-01T01:00:00.000-05:00", "-05:00"],
    ]);
  });

  it("half- and three-quarter-hour zones", () => {
    checkRows([
      ["2026-07-01T12:00:00.000Z", "Asia/Kolkata", "2026-07-01T17:30:00.000+05:30", "+05:30"],
      ["2026-01-15T00:00:00.000Z", "Australia/Adelaide", "2026-01-15T10:30:00.000+10:30", "+10:30"],
      ["2026-07-01T00:00:00.000Z", "Australia/Adelaide", "2026-07-01T09:30:00.000+09:30", "+09:30"],
      ["2026-01-15T12:00:00.000Z", "America/St_Johns", "2026-01-15T08:30:00.000-03:30", "-03:30"],
      ["2026-01-15T12:00:00.000Z", "Pacific/Chatham", "2026-01-16T01:45:00.000+13:45", "+13:45"],
    ]);
  });

  it("zones far from UTC cross the date line", () => {
    checkRows([
      ["2026-01-15T12:00:00.000Z", "Pacific/Kiritimati", "2026-01-16T02:00:00.000+14:00", "+14:00"],
      ["2026-01-15T12:00:00.000Z", "Pacific/Pago_Pago", "2026-01-15T01:00:00.000-11:00", "-11:00"],
    ]);
  });

  it("the leap day 2028-02-29, and midnight reads 00, not 24", () => {
    checkRows([
      ["2028-02-29T12:00:00.000Z", "UTC", "2028-02-29T12:00:00.000+00:00", "+00:00"],
      ["2028-02-29T23:30:00.000Z", "Europe/Berlin", "2028-03-01T00:30:00.000+01:00", "+01:00"],
      ["2028-03-01T03:00:00.000Z", "America/New_York", "2028-02-29T22:00:00.000-05:00", "-05:00"],
      ["2028-02-28T23:00:00.000Z", "Europe/Berlin", "2028-02-29T00:00:00.000+01:00", "+01:00"],
    ]);
  });

  it("unixtime is whole seconds, rounded down; unixtime_ms is the instant", () => {
    const ms = at("2026-07-01T12:00:00.999Z");
    const fields = timeFields(ms, "Asia/Kolkata");
    expect(fields.unixtime).toBe(1782907200);
    expect(Number.isInteger(fields.unixtime)).toBe(true);
    expect(fields.unixtime_ms).toBe(1782907200999);
    expect(fields.datetime).toBe("2026-07-01T17:30:00.999+05:30");
    expect(timeFields(-500, "UTC").unixtime).toBe(-1);
  });

  it("formats exactly: ISO 8601 with milliseconds, 'Z' for UTC and ±HH:MM for the zone", () => {
    const fields = timeFields(at("2026-03-05T04:03:02.001Z"), "America/New_York");
    expect(fields.utc_datetime).toBe("2026-03-05T04:03:02.001Z");
    expect(fields.utc_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(fields.datetime).toBe("2026-03-04T23:03:02.001-05:00");
    expect(fields.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    expect(fields.timezone).toBe("America/New_York");
  });

  it("the wall time and the offset agree with the UTC instant", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "Australia/Adelaide", "Asia/Kolkata"]) {
      for (let ms = at("2026-01-01T00:00:00Z"); ms < at("2027-01-01T00:00:00Z"); ms += 7 * 3600_000 + 1234) {
        const { datetime } = timeFields(ms, zone);
        expect(Date.parse(datetime)).toBe(ms);
      }
    }
  });

  it("an unknown zone throws", () => {
    expect(() => timeFields(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("zoneOffsetMinutes / formatOffset", () => {
  it("offsets in minutes, east positive", () => {
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "UTC")).toBe(0);
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "Europe/Berlin")).toBe(120);
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "America/New_York")).toBe(-240);
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "Asia/Kolkata")).toBe(330);
  });
  it("formats ±HH:MM", () => {
    expect(formatOffset(0)).toBe("+00:00");
    expect(formatOffset(60)).toBe("+01:00");
    expect(formatOffset(330)).toBe("+05:30");
    expect(formatOffset(825)).toBe("+13:45");
    expect(formatOffset(-210)).toBe("-03:30");
    expect(formatOffset(-660)).toBe("-11:00");
  });
});
