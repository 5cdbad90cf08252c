import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LogTime } from "../../../src/access-log/log-time.ts";

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
};

/** [instant (UTC), CLF, ISO] in the zone, formatted in this order by one LogTime. */
type Row = readonly [string, string, string];

function checkRows(zone: string, rows: readonly Row[]): void {
  const time = new LogTime(zone);
  for (const [instant, clf, iso] of rows) {
    expect({ instant, clf: time.clf(at(instant)), iso: time.iso(at(instant)) }).toEqual({ instant, clf, iso });
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The CLF and ISO forms by another route: Intl's wall clock and "GMT+05:30" offset, per call. */
function reference(ms: number, zone: string): { clf: string; iso: string } {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "longOffset",
  });
  const p: Record<string, string> = {};
  for (const part of format.formatToParts(ms)) p[part.type] = part.value;
  const offset = p.timeZoneName === "GMT" ? "+00:00" : p.timeZoneName!.slice(3).replace("\u2212", "-");
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, "0");
  const year = p.year!.padStart(4, "0");
  return {
    clf: `${p.day}/${MONTHS[Number(p.month) - 1]}/${year}:${p.hour}:${p.minute}:${p.second} ${offset.replace(":", "")}`,
    iso: `${year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${millis}${offset}`,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("LogTime", () => {
  it("writes UTC as +0000 and +00:00", () => {
    checkRows("UTC", [
      ["2026-12-02T06:40:45.123Z", "02/Dec/2026:06:40:45 +0000", "2026-12-02T06:40:45.123+00:00"],
      ["2026-12-02T06:40:45.999Z", "02/Dec/2026:06:40:45 +0000", "2026-12-02T06:40:45.999+00:00"],
      ["2026-12-02T06:40:46.007Z", "02/Dec/2026:06:40:46 +0000", "2026-12-02T06:40:46.007+00:00"],
      ["2027-01-01T00:00:00.050Z", "01/Jan/2027:00:00:00 +0000", "2027-01-01T00:00:00.050+00:00"],
    ]);
  });

  it("follows New York across both DST changes of 2026, second by second", () => {
    checkRows("America/New_York", [
      // 2026-03-08 02:00 EST: clocks go to 03:00 EDT.
      ["2026-03-08T06:59:59.999Z", "08/Mar/2026:01:59:59 -0500", "2026-03-08T01:59:59.999-05:00"],
      ["2026-03-08T07:00:00.000Z", "08/Mar/2026:03:00:00 -0400", "2026-03-08T03:00:00.000-04:00"],
      // A late line from the second before, after the change.
      ["2026-03-08T06:59:59.500Z", "08/Mar/2026:01:59:59 -0500", "2026-03-08T01:59:59.500-05:00"],
      // 2026-11-01 02:00 EDT: clocks go back to 01:00 EST; 01:xx happens twice.
      ["2026-11-01T05:59:59.000Z", "01/Nov/2026:01:59:59 -0400", "2026-11-01T01:59:59.000-04:00"],
      ["2026-11-01T06:00:00.000Z", "01/Nov/2026:01:00:00 -0500", "2026-11-01T01:00:00.000-05:00"],
    ]);
  });

  it("writes half-hour zones: Kolkata +05:30", () => {
    checkRows("Asia/Kolkata", [
      ["2026-12-02T06:40:45.123Z", "02/Dec/2026:12:10:45 +0530", "2026-12-02T12:10:45.123+05:30"],
      ["2026-12-31T18:29:59.000Z", "31/Dec/2026:23:59:59 +0530", "2026-12-31T23:59:59.000+05:30"],
      ["2026-12-31T18:30:00.000Z", "01/Jan/2027:00:00:00 +0530", "2027-01-01T00:00:00.000+05:30"],
    ]);
  });

  it("follows Lord Howe's half-hour DST (+10:30 / +11:00)", () => {
    checkRows("Australia/Lord_Howe", [
      // 2026-04-05 02:00 +11:00: back to 01:30 +10:30.
      ["2026-04-04T14:59:59.000Z", "05/Apr/2026:01:59:59 +1100", "2026-04-05T01:59:59.000+11:00"],
      ["2026-04-04T15:00:00.000Z", "05/Apr/2026:01:30:00 +1030", "2026-04-05T01:30:00.000+10:30"],
      // 2026-10-04 02:00 +10:30: on to 02:30 +11:00.
      ["2026-10-03T15:29:59.000Z", "04/Oct/2026:01:59:59 +1030", "2026-10-04T01:59:59.000+10:30"],
      ["2026-10-03T15:30:00.000Z", "04/Oct/2026:02:30:00 +1100", "2026-10-04T02:30:00.000+11:00"],
    ]);
  });

  it("writes negative offsets and years before 1000 in four digits", () => {
    checkRows("UTC", [["0999-03-04T05:06:07.008Z", "04/Mar/0999:05:06:07 +0000", "0999-03-04T05:06:07.008+00:00"]]);
    checkRows("America/St_Johns", [[
      "2026-12-02T06:40:45.123Z",
      "02/Dec/2026:03:10:45 -0330",
      "2026-12-02T03:10:45.123-03:30",
    ]]);
  });

  it("reads an unknown zone as UTC and a time that is no number as the epoch", () => {
    const time = new LogTime("Nowhere/Special");
    expect(time.clf(at("2026-12-02T06:40:45Z"))).toBe("02/Dec/2026:06:40:45 +0000");
    expect(new LogTime("UTC").iso(Number.NaN)).toBe("1970-01-01T00:00:00.000+00:00");
  });

  it("agrees with Intl for any instant around 2026's DST changes, in any order", () => {
    const zones = [
      "UTC",
      "America/New_York",
      "Asia/Kolkata",
      "Australia/Lord_Howe",
      "Europe/Berlin",
      "America/Sao_Paulo",
    ];
    const changes = [
      "2026-03-08T07:00:00Z",
      "2026-03-29T01:00:00Z",
      "2026-04-04T15:00:00Z",
      "2026-10-03T15:30:00Z",
      "2026-11-01T06:00:00Z",
    ]
      .map(at);
    const instant = fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -7_200_000, max: 7_200_000 })).map((
      [c, d],
    ) => c + d);
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.array(instant, { minLength: 1, maxLength: 40 }), (zone, instants) => {
        const time = new LogTime(zone);
        for (const ms of instants) {
          const expected = reference(ms, zone);
          expect(time.clf(ms)).toBe(expected.clf);
          expect(time.iso(ms)).toBe(expected.iso);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("asks Intl at most once a minute: lines of the same second cost no Intl call", () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, "formatToParts");
    const time = new LogTime("Asia/Kathmandu");
    const start = at("2026-12-02T06:40:00Z");
    // Many lines a second, over one minute, in order but with stragglers from the second before.
    for (let ms = start; ms < start + 60_000; ms += 7) {
      time.clf(ms);
      time.iso(ms - 900);
    }
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2); // the minute, and the straggler's minute before it
    spy.mockClear();
    for (let i = 0; i < 10_000; i++) time.iso(start + 30_000 + (i % 1000));
    expect(spy).not.toHaveBeenCalled();
  });
});
