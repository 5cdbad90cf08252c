import { describe, expect, it } from "vitest";
import {
  canonicalZone,
  formatOffset,
  type TimeFields,
  timeFields,
  timeText,
  zoneOffsetMinutes,
} from "../../../src/time/fields.ts";

const DAY = 86_400_000;

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

/** The fields that do not depend on the zone's calendar or names, for an instant. */
const instantFields = (iso: string): Pick<TimeFields, "utc_datetime" | "unixtime" | "unixtime_ms"> => ({
  utc_datetime: iso,
  unixtime: Math.floor(at(iso) / 1000),
  unixtime_ms: at(iso),
});

/** No DST: the offset is standard. */
const standardTime = { dst: false, dst_offset: 0, dst_from: null, dst_until: null } as const;

/**
 * ISO 8601 week number by another route than the module's: week 1 starts on the Monday of the
 * week holding January 4th; a day belongs to the latest ISO year whose week 1 started by then.
 */
function isoWeekByMondays(year: number, month: number, day: number): number {
  const date = Date.UTC(year, month - 1, day);
  const week1Monday = (y: number): number => {
    const jan4 = Date.UTC(y, 0, 4);
    return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  };
  const isoYear = [year + 1, year, year - 1].find((y) => week1Monday(y) <= date)!;
  return Math.floor((date - week1Monday(isoYear)) / (7 * DAY)) + 1;
}

/** A DST period as the fields give it (one hour ahead of standard time). */
const dstPeriod = (from: string, until: string) =>
  ({ dst: true, dst_offset: 3600, dst_from: from, dst_until: until }) as const;
const BERLIN_DST_2026 = dstPeriod("2026-03-29T01:00:00+00:00", "2026-10-25T01:00:00+00:00");
const NEW_YORK_DST_2026 = dstPeriod("2026-03-08T07:00:00+00:00", "2026-11-01T06:00:00+00:00");

/** One side of a DST transition: an instant and every field that depends on the side. */
interface TransitionSide {
  readonly instant: string;
  readonly datetime: string;
  readonly utc_offset: string;
  readonly period: typeof standardTime | ReturnType<typeof dstPeriod>;
  readonly abbreviation: string;
}

/** A DST transition: the last instant before it and the first after, every field of each. */
interface Transition {
  readonly title: string;
  readonly zone: string;
  /** The fields both sides share: the standard offset and the (local) day. */
  readonly day: Pick<TimeFields, "raw_offset" | "day_of_week" | "day_of_year" | "week_number">;
  readonly before: TransitionSide;
  readonly after: TransitionSide;
  /** More instants near the transition: their datetime and offset. */
  readonly rows?: readonly Row[];
}

const TRANSITIONS: readonly Transition[] = [
  {
    title: "Europe/Berlin around the spring-forward instant 2026-03-29T01:00:00Z, every field",
    zone: "Europe/Berlin",
    day: { raw_offset: 3600, day_of_week: 0, day_of_year: 88, week_number: 13 },
    before: {
      instant: "2026-03-29T00:59:59.999Z",
      datetime: "2026-03-29T01:59:59.999+01:00",
      utc_offset: "+01:00",
      period: standardTime,
      abbreviation: "CET",
    },
    after: {
      instant: "2026-03-29T01:00:00.000Z",
      datetime: "2026-03-29T03:00:00.000+02:00",
      utc_offset: "+02:00",
      period: BERLIN_DST_2026,
      abbreviation: "CEST",
    },
  },
  {
    title: "Europe/Berlin around the fall-back instant 2026-10-25T01:00:00Z, every field (02:xx happens twice)",
    zone: "Europe/Berlin",
    day: { raw_offset: 3600, day_of_week: 0, day_of_year: 298, week_number: 43 },
    before: {
      instant: "2026-10-25T00:59:59.999Z",
      datetime: "2026-10-25T02:59:59.999+02:00",
      utc_offset: "+02:00",
      period: BERLIN_DST_2026,
      abbreviation: "CEST",
    },
    after: {
      instant: "2026-10-25T01:00:00.000Z",
      datetime: "2026-10-25T02:00:00.000+01:00",
      utc_offset: "+01:00",
      period: standardTime,
      abbreviation: "CET",
    },
    rows: [
      ["2026-10-25T00:30:00.000Z", "Europe/Berlin", "2026-10-25T02:30:00.000+02:00", "+02:00"],
      ["2026-10-25T01:30:00.000Z", "Europe/Berlin", "2026-10-25T02:30:00.000+01:00", "+01:00"],
    ],
  },
  {
    title: "America/New_York around 2026-03-08 (EST to EDT at 07:00Z), every field",
    zone: "America/New_York",
    day: { raw_offset: -18000, day_of_week: 0, day_of_year: 67, week_number: 10 },
    before: {
      instant: "2026-03-08T06:59:59.000Z",
      datetime: "2026-03-08T01:59:59.000-05:00",
      utc_offset: "-05:00",
      period: standardTime,
      abbreviation: "EST",
    },
    after: {
      instant: "2026-03-08T07:00:00.000Z",
      datetime: "2026-03-08T03:00:00.000-04:00",
      utc_offset: "-04:00",
      period: NEW_YORK_DST_2026,
      abbreviation: "EDT",
    },
  },
  {
    title: "America/New_York around 2026-11-01 (EDT to EST at 06:00Z), every field",
    zone: "America/New_York",
    day: { raw_offset: -18000, day_of_week: 0, day_of_year: 305, week_number: 44 },
    before: {
      instant: "2026-11-01T05:59:59.000Z",
      datetime: "2026-11-01T01:59:59.000-04:00",
      utc_offset: "-04:00",
      period: NEW_YORK_DST_2026,
      abbreviation: "EDT",
    },
    after: {
      instant: "2026-11-01T06:00:00.000Z",
      datetime: "2026-11-01T01:00:00.000-05:00",
      utc_offset: "-05:00",
      period: standardTime,
      abbreviation: "EST",
    },
  },
];

describe("timeFields", () => {
  it("gives every field, in worldtimeapi.org's order as specified, for an instant in UTC", () => {
    const fields = timeFields(at("2026-01-01T00:00:00.000Z"), "UTC");
    expect(fields).toEqual({
      utc_datetime: "2026-01-01T00:00:00.000Z",
      datetime: "2026-01-01T00:00:00.000+00:00",
      unixtime: 1767225600,
      unixtime_ms: 1767225600000,
      timezone: "UTC",
      utc_offset: "+00:00",
      raw_offset: 0,
      ...standardTime,
      abbreviation: "UTC",
      day_of_week: 4,
      day_of_year: 1,
      week_number: 1,
    });
    expect(Object.keys(fields)).toEqual([
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
    ]);
  });

  it("gives every field for Europe/Berlin in summer", () => {
    expect(timeFields(at("2026-07-01T12:00:00.000Z"), "Europe/Berlin")).toEqual({
      utc_datetime: "2026-07-01T12:00:00.000Z",
      datetime: "2026-07-01T14:00:00.000+02:00",
      unixtime: 1782907200,
      unixtime_ms: 1782907200000,
      timezone: "Europe/Berlin",
      utc_offset: "+02:00",
      raw_offset: 3600,
      dst: true,
      dst_offset: 3600,
      dst_from: "2026-03-29T01:00:00+00:00",
      dst_until: "2026-10-25T01:00:00+00:00",
      abbreviation: "CEST",
      day_of_week: 3,
      day_of_year: 182,
      week_number: 27,
    });
  });

  it("Europe/Berlin in winter is +01:00", () => {
    checkRows([["2026-01-15T12:00:00.000Z", "Europe/Berlin", "2026-01-15T13:00:00.000+01:00", "+01:00"]]);
  });

  for (const transition of TRANSITIONS) {
    it(transition.title, () => {
      for (const side of [transition.before, transition.after]) {
        expect(timeFields(at(side.instant), transition.zone)).toEqual({
          ...instantFields(side.instant),
          timezone: transition.zone,
          ...transition.day,
          datetime: side.datetime,
          utc_offset: side.utc_offset,
          ...side.period,
          abbreviation: side.abbreviation,
        });
      }
      if (transition.rows !== undefined) checkRows(transition.rows);
    });
  }

  it("Asia/Kolkata: +05:30 all year, no DST, IST", () => {
    const fields = timeFields(at("2026-07-01T12:00:00.000Z"), "Asia/Kolkata");
    expect(fields).toEqual({
      ...instantFields("2026-07-01T12:00:00.000Z"),
      datetime: "2026-07-01T17:30:00.000+05:30",
      timezone: "Asia/Kolkata",
      utc_offset: "+05:30",
      raw_offset: 19800,
      ...standardTime,
      abbreviation: fields.abbreviation,
      day_of_week: 3,
      day_of_year: 182,
      week_number: 27,
    });
    expect(fields.abbreviation).toMatch(/^(IST|\+0530)$/);
    expect(timeFields(at("2026-01-15T12:00:00.000Z"), "Asia/Kolkata")).toMatchObject({
      utc_offset: "+05:30",
      ...standardTime,
    });
  });

  it("Australia/Adelaide: +09:30 standard, +10:30 in a DST that spans the new year", () => {
    // Southern summer: DST began in October 2025 and ends in April 2026.
    expect(timeFields(at("2026-01-15T00:00:00.000Z"), "Australia/Adelaide")).toMatchObject({
      datetime: "2026-01-15T10:30:00.000+10:30",
      utc_offset: "+10:30",
      raw_offset: 34200,
      dst: true,
      dst_offset: 3600,
      dst_from: "2025-10-04T16:30:00+00:00",
      dst_until: "2026-04-04T16:30:00+00:00",
    });
    expect(timeFields(at("2026-07-01T00:00:00.000Z"), "Australia/Adelaide")).toMatchObject({
      datetime: "2026-07-01T09:30:00.000+09:30",
      utc_offset: "+09:30",
      raw_offset: 34200,
      ...standardTime,
    });
    // DST that begins in October 2026 ends in the following April.
    const november = timeFields(at("2026-11-15T00:00:00.000Z"), "Australia/Adelaide");
    expect(november).toMatchObject({
      datetime: "2026-11-15T10:30:00.000+10:30",
      raw_offset: 34200,
      dst: true,
      dst_offset: 3600,
      dst_from: "2026-10-03T16:30:00+00:00",
      dst_until: "2027-04-03T16:30:00+00:00",
      day_of_week: 0,
      day_of_year: 319,
      week_number: 46,
    });
    expect(november.abbreviation).toMatch(/^(ACDT|\+1030)$/);
  });

  it("other southern-hemisphere DST: Australia/Sydney and America/Santiago", () => {
    expect(timeFields(at("2026-12-31T12:00:00.000Z"), "Australia/Sydney")).toMatchObject({
      datetime: "2026-12-31T23:00:00.000+11:00",
      raw_offset: 36000,
      dst: true,
      dst_from: "2026-10-03T16:00:00+00:00",
      dst_until: "2027-04-03T16:00:00+00:00",
    });
    expect(timeFields(at("2026-11-15T00:00:00.000Z"), "America/Santiago")).toMatchObject({
      utc_offset: "-03:00",
      raw_offset: -14400,
      dst: true,
      dst_offset: 3600,
      dst_from: "2026-09-06T04:00:00+00:00",
      dst_until: "2027-04-04T03:00:00+00:00",
    });
  });

  it("dst_from and dst_until bracket the instant, and raw + dst offsets make utc_offset", () => {
    for (
      const zone of [
        "Europe/Berlin",
        "America/New_York",
        "Australia/Adelaide",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Asia/Kolkata",
      ]
    ) {
      for (let ms = at("2026-01-01T00:00:00Z"); ms < at("2027-01-01T00:00:00Z"); ms += 5 * DAY + 3_600_000 + 1) {
        const f = timeFields(ms, zone);
        const offsetSeconds = zoneOffsetMinutes(ms, zone) * 60;
        expect(f.raw_offset + f.dst_offset).toBe(offsetSeconds);
        if (f.dst) {
          expect(Date.parse(f.dst_from!)).toBeLessThanOrEqual(ms);
          expect(Date.parse(f.dst_until!)).toBeGreaterThan(ms);
          // Just before the period and at its end, the zone keeps standard time.
          expect(zoneOffsetMinutes(Date.parse(f.dst_from!) - 1000, zone) * 60).toBe(f.raw_offset);
          expect(zoneOffsetMinutes(Date.parse(f.dst_until!), zone) * 60).toBe(f.raw_offset);
        } else {
          expect([f.dst_from, f.dst_until, f.dst_offset]).toEqual([null, null, 0]);
        }
      }
    }
  });

  it("UTC and fixed-offset zones have no DST; numeric abbreviations where ICU has no name", () => {
    expect(timeFields(at("2026-07-01T12:00:00.000Z"), "UTC")).toMatchObject({
      raw_offset: 0,
      ...standardTime,
      abbreviation: "UTC",
    });
    expect(timeFields(at("2026-07-01T12:00:00.000Z"), "Etc/GMT+5")).toMatchObject({
      utc_offset: "-05:00",
      raw_offset: -18000,
      ...standardTime,
      abbreviation: "-05",
    });
    expect(timeFields(at("2026-07-01T12:00:00.000Z"), "Asia/Kathmandu").abbreviation).toMatch(/^(NPT|\+0545)$/);
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

  it("day_of_year in a leap year: 2028-02-29 is day 60, 2028-12-31 day 366", () => {
    expect(timeFields(at("2028-02-29T12:00:00.000Z"), "UTC")).toMatchObject({ day_of_year: 60, day_of_week: 2 });
    expect(timeFields(at("2028-03-01T12:00:00.000Z"), "UTC").day_of_year).toBe(61);
    expect(timeFields(at("2028-12-31T12:00:00.000Z"), "UTC")).toMatchObject({ day_of_year: 366, day_of_week: 0 });
    expect(timeFields(at("2026-12-31T12:00:00.000Z"), "UTC").day_of_year).toBe(365);
    // In the zone: 2028-02-28T23:00Z is already the 29th in Berlin, still the 28th in New York.
    expect(timeFields(at("2028-02-28T23:00:00.000Z"), "Europe/Berlin").day_of_year).toBe(60);
    expect(timeFields(at("2028-02-28T23:00:00.000Z"), "America/New_York").day_of_year).toBe(59);
  });

  it("ISO 8601 week numbers at year boundaries agree with an independent computation", () => {
    const cases: ReadonlyArray<readonly [string, number]> = [
      ["2026-12-31", 53],
      ["2027-01-01", 53],
      ["2027-01-03", 53],
      ["2027-01-04", 1],
      ["2024-12-30", 1],
      ["2024-12-29", 52],
      ["2025-01-01", 1],
      ["2021-01-03", 53],
      ["2028-01-02", 52],
      ["2028-01-03", 1],
    ];
    for (const [date, week] of cases) {
      const [y, m, d] = date.split("-").map(Number) as [number, number, number];
      expect({ date, independent: isoWeekByMondays(y, m, d) }).toEqual({ date, independent: week });
      expect({ date, week: timeFields(at(`${date}T12:00:00.000Z`), "UTC").week_number }).toEqual({ date, week });
    }
    // Every day of 2020..2030 (and at the end of the day in Kiritimati, a day ahead of UTC).
    for (let ms = at("2020-01-01T12:00:00Z"); ms < at("2031-01-01T00:00:00Z"); ms += DAY) {
      const d = new Date(ms);
      const week = isoWeekByMondays(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      expect(timeFields(ms, "UTC").week_number).toBe(week);
      expect(timeFields(ms - 14 * 3_600_000, "Pacific/Kiritimati").week_number).toBe(week);
    }
  });

  it("day_of_week is the zone's, which differs from UTC's near midnight", () => {
    // Sunday 2026-11-22T23:30Z is Monday in Berlin and still Sunday in New York.
    expect(timeFields(at("2026-11-22T23:30:00.000Z"), "UTC").day_of_week).toBe(0);
    expect(timeFields(at("2026-11-22T23:30:00.000Z"), "Europe/Berlin").day_of_week).toBe(1);
    // Monday 2026-11-23T02:00Z is Sunday evening in New York.
    expect(timeFields(at("2026-11-23T02:00:00.000Z"), "UTC").day_of_week).toBe(1);
    expect(timeFields(at("2026-11-23T02:00:00.000Z"), "America/New_York")).toMatchObject({
      datetime: "2026-11-22T21:00:00.000-05:00",
      day_of_week: 0,
      day_of_year: 326,
    });
    // Saturday 2027-01-02T12:00Z is Sunday in Kiritimati; the ISO week stays 53 of 2026.
    expect(timeFields(at("2027-01-02T12:00:00.000Z"), "Pacific/Kiritimati")).toMatchObject({
      day_of_week: 0,
      week_number: 53,
    });
  });

  it("unixtime is whole seconds, rounded down; unixtime_ms is the instant", () => {
    const ms = at("2026-07-01T12:00:00.999Z");
    const fields = timeFields(ms, "Asia/Kolkata");
    expect(fields.unixtime).toBe(1782907200);
    expect(Number.isInteger(fields.unixtime)).toBe(true);
    expect(fields.unixtime_ms).toBe(1782907200999);
    expect(fields.datetime).toBe("2026-07-01T17:30:00.999+05:30");
    expect(timeFields(-500, "UTC")).toMatchObject({
      unixtime: -1,
      unixtime_ms: -500,
      utc_datetime: "1969-12-31T23:59:59.500Z",
    });
  });

  it("formats exactly: ISO 8601 with milliseconds, 'Z' for UTC and ±HH:MM for the zone", () => {
    const fields = timeFields(at("2026-03-05T04:03:02.001Z"), "America/New_York");
    expect(fields.utc_datetime).toBe("2026-03-05T04:03:02.001Z");
    expect(fields.utc_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(fields.datetime).toBe("2026-03-04T23:03:02.001-05:00");
    expect(fields.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    expect(fields.timezone).toBe("America/New_York");
    expect(timeFields(at("2026-03-05T04:03:02.010Z"), "UTC").utc_datetime).toBe("2026-03-05T04:03:02.010Z");
    expect(timeFields(at("2026-03-05T04:03:02.100Z"), "UTC").datetime).toBe("2026-03-05T04:03:02.100+00:00");
  });

  it("the wall time and the offset agree with the UTC instant", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "Australia/Adelaide", "Asia/Kolkata"]) {
      for (let ms = at("2026-01-01T00:00:00Z"); ms < at("2027-01-01T00:00:00Z"); ms += 7 * 3600_000 + 1234) {
        const { datetime } = timeFields(ms, zone);
        expect(Date.parse(datetime)).toBe(ms);
      }
    }
  });

  it("caches per zone without mixing zones or milliseconds", () => {
    const ms = at("2026-07-01T12:00:00.000Z");
    for (let i = 0; i < 3; i++) {
      expect(timeFields(ms + i, "Europe/Berlin").datetime).toBe(`2026-07-01T14:00:00.00${i}+02:00`);
      expect(timeFields(ms + i, "America/New_York").datetime).toBe(`2026-07-01T08:00:00.00${i}-04:00`);
      expect(timeFields(ms + 1000 + i, "Europe/Berlin").datetime).toBe(`2026-07-01T14:00:01.00${i}+02:00`);
    }
  });

  it("names the zone canonically, whatever spelling it was given", () => {
    expect(timeFields(0, "europe/berlin").timezone).toBe("Europe/Berlin");
    expect(timeFields(0, "Asia/Calcutta").timezone).toBe("Asia/Kolkata");
  });

  it("an unknown zone reads as UTC rather than throwing", () => {
    const fields = timeFields(at("2026-07-01T12:00:00.000Z"), "Mars/Olympus_Mons");
    expect(fields).toMatchObject({ timezone: "UTC", utc_offset: "+00:00", datetime: "2026-07-01T12:00:00.000+00:00" });
    expect(() => timeFields(Number.NaN, "")).not.toThrow();
    expect(() => timeFields(1e20, "Europe/Berlin")).not.toThrow();
  });
});

describe("canonicalZone", () => {
  it("knows zones case-insensitively and names them as IANA does", () => {
    expect(canonicalZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(canonicalZone("europe/berlin")).toBe("Europe/Berlin");
    expect(canonicalZone("AMERICA/NEW_YORK")).toBe("America/New_York");
    expect(canonicalZone("UTC")).toBe("UTC");
    expect(canonicalZone("utc")).toBe("UTC");
    expect(canonicalZone("Etc/UTC")).toBe("UTC");
    expect(canonicalZone("Etc/GMT+5")).toBe("Etc/GMT+5");
  });

  it("maps ICU's old spellings and IANA links to the primary name", () => {
    expect(canonicalZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(canonicalZone("Asia/Calcutta")).toBe("Asia/Kolkata");
    expect(canonicalZone("Europe/Kiev")).toBe("Europe/Kyiv");
    expect(canonicalZone("America/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    expect(canonicalZone("US/Eastern")).toBe("America/New_York");
  });

  it("is null for what is not a zone", () => {
    expect(canonicalZone("Mars/Olympus")).toBeNull();
    expect(canonicalZone("")).toBeNull();
    expect(canonicalZone("+01:00")).toBeNull();
    expect(canonicalZone(" Europe/Berlin")).toBeNull();
    expect(canonicalZone("Europe/Berlin/")).toBeNull();
    expect(canonicalZone("../etc/passwd")).toBeNull();
    expect(canonicalZone("x".repeat(10_000))).toBeNull();
  });
});

describe("timeText", () => {
  it("writes 'key: value' lines in order, null as null, ending in a newline", () => {
    expect(timeText({ a: "x", b: 1, c: true, d: null })).toBe("a: x\nb: 1\nc: true\nd: null\n");
    expect(timeText({})).toBe("");
  });

  it("keeps one line per field", () => {
    expect(timeText({ a: "x\r\ny" })).toBe("a: x  y\n");
  });

  it("renders the /time fields", () => {
    const text = timeText({ ...timeFields(at("2026-07-01T12:00:00.000Z"), "Europe/Berlin") });
    expect(text.split("\n").slice(0, 3)).toEqual([
      "utc_datetime: 2026-07-01T12:00:00.000Z",
      "datetime: 2026-07-01T14:00:00.000+02:00",
      "unixtime: 1782907200",
    ]);
    expect(text).toContain("\ndst_from: 2026-03-29T01:00:00+00:00\n");
    expect(text).toContain("\nabbreviation: CEST\n");
    expect(text.endsWith("week_number: 27\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(16);
  });
});

describe("zoneOffsetMinutes / formatOffset", () => {
  it("offsets in minutes, east positive", () => {
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "UTC")).toBe(0);
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "Europe/Berlin")).toBe(120);
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "America/New_York")).toBe(-240);
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "Asia/Kolkata")).toBe(330);
    expect(zoneOffsetMinutes(at("2026-07-01T00:00:00Z"), "Mars/Olympus")).toBe(0);
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
