import { abbreviation } from "./zone/abbreviation.ts";
import { canonicalZone } from "./zone/canonical-zone.ts";
import { dayFields } from "./zone/civil-days.ts";
import { dstState } from "./zone/dst-periods.ts";
import { formatOffset, zoneOffsetMinutes } from "./zone/zone-offset.ts";

export { canonicalZone } from "./zone/canonical-zone.ts";
export { formatOffset, zoneOffsetMinutes } from "./zone/zone-offset.ts";

/**
 * The /time document: one instant described in UTC and in a zone, via Intl only. The fields and
 * their meaning are worldtimeapi.org's; times are ISO 8601 / RFC 3339.
 */
export interface TimeFields {
  /** "2026-11-23T18:20:01.123Z" */
  readonly utc_datetime: string;
  /** The wall time in the zone with its offset: "2026-11-23T19:20:01.123+01:00". */
  readonly datetime: string;
  /** Whole seconds since 1970-01-01T00:00:00Z, rounded down. */
  readonly unixtime: number;
  readonly unixtime_ms: number;
  /** Canonical IANA name. */
  readonly timezone: string;
  /** "+01:00" */
  readonly utc_offset: string;
  /** The standard (non-DST) offset in seconds. */
  readonly raw_offset: number;
  readonly dst: boolean;
  /** Seconds added by DST now; 0 when not in DST. */
  readonly dst_offset: number;
  /** When in DST: the UTC instant it began, "2026-03-29T01:00:00+00:00"; else null. */
  readonly dst_from: string | null;
  /** When in DST: the UTC instant it ends; else null. */
  readonly dst_until: string | null;
  /** "CET", "EDT", "IST" where ICU has a name; else tzdata's numeric style "+0530", "-03". */
  readonly abbreviation: string;
  /** 0 = Sunday, in the zone. */
  readonly day_of_week: number;
  /** 1..366, in the zone. */
  readonly day_of_year: number;
  /** ISO 8601 week number, in the zone. */
  readonly week_number: number;
}

/** Everything that depends only on the second and the zone. */
interface SecondRecord {
  readonly name: string;
  readonly second: number;
  /** "2026-11-23T18:20:01." in UTC and on the zone's wall clock. */
  readonly utcPrefix: string;
  readonly localPrefix: string;
  readonly timezone: string;
  readonly utcOffset: string;
  readonly rawOffset: number;
  readonly dst: boolean;
  readonly dstOffset: number;
  readonly dstFrom: string | null;
  readonly dstUntil: string | null;
  readonly abbreviation: string;
  readonly dayOfWeek: number;
  readonly dayOfYear: number;
  readonly weekNumber: number;
}

/** ECMA-262 §21.4.1.1's time range, less two days so that the wall clock stays inside it. */
const MAX_MS = 8.64e15 - 2 * 86_400_000;

/** "2026-03-29T01:00:00+00:00": worldtimeapi.org's form of dst_from and dst_until. */
function utcSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -5)}+00:00`;
}

function secondRecord(name: string, second: number): SecondRecord {
  // An unknown zone reads as UTC: callers validate names with canonicalZone first.
  const zone = canonicalZone(name) ?? "UTC";
  const ms = second * 1000;
  const offset = zoneOffsetMinutes(ms, zone);
  const wall = ms + offset * 60_000;
  const state = dstState(ms, zone, offset);
  const day = dayFields(Math.floor(wall / 86_400_000));
  return {
    name,
    second,
    // toISOString ends in "000Z" here: keep up to the decimal point.
    utcPrefix: new Date(ms).toISOString().slice(0, -4),
    localPrefix: new Date(wall).toISOString().slice(0, -4),
    timezone: zone,
    utcOffset: formatOffset(offset),
    rawOffset: state.standard * 60,
    dst: state.dst,
    dstOffset: state.dst ? (offset - state.standard) * 60 : 0,
    dstFrom: state.from === null ? null : utcSeconds(state.from),
    dstUntil: state.until === null ? null : utcSeconds(state.until),
    abbreviation: abbreviation(ms, zone, offset, state.dst),
    dayOfWeek: day.dayOfWeek,
    dayOfYear: day.dayOfYear,
    weekNumber: day.isoWeek,
  };
}

/** The latest second per zone name (bounded: names may come from requests). */
const records = new Map<string, SecondRecord>();
const MAX_RECORDS = 64;
let last: SecondRecord | null = null;

function recordFor(name: string, second: number): SecondRecord {
  if (last !== null && last.second === second && last.name === name) return last;
  let record = records.get(name);
  if (record === undefined || record.second !== second) {
    record = secondRecord(name, second);
    if (records.size >= MAX_RECORDS) records.clear();
    records.set(name, record);
  }
  last = record;
  return record;
}

/**
 * The /time fields for an instant (ms since the epoch) in a zone. A zone the runtime does not
 * know reads as UTC (validate with canonicalZone); an instant outside Date's range is clamped.
 */
export function timeFields(ms: number, timeZone: string): TimeFields {
  const instant = Number.isFinite(ms) ? Math.min(Math.max(Math.floor(ms), -MAX_MS), MAX_MS) : 0;
  const second = Math.floor(instant / 1000);
  const r = recordFor(timeZone, second);
  const millis = instant - second * 1000;
  const fraction = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis);
  return {
    utc_datetime: `${r.utcPrefix}${fraction}Z`,
    datetime: `${r.localPrefix}${fraction}${r.utcOffset}`,
    unixtime: second,
    unixtime_ms: instant,
    timezone: r.timezone,
    utc_offset: r.utcOffset,
    raw_offset: r.rawOffset,
    dst: r.dst,
    dst_offset: r.dstOffset,
    dst_from: r.dstFrom,
    dst_until: r.dstUntil,
    abbreviation: r.abbreviation,
    day_of_week: r.dayOfWeek,
    day_of_year: r.dayOfYear,
    week_number: r.weekNumber,
  };
}

/** Line breaks inside a value would start a new "key: value" line. */
const LINE_BREAK = /[\r\n]/g;

/** "key: value" lines, one per field, in order, ending in "\n"; null as "null"; for Accept: text/plain. */
export function timeText(fields: Readonly<Record<string, string | number | boolean | null>>): string {
  let text = "";
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    const shown = value === null || value === undefined ? "null" : String(value);
    text += `${key}: ${shown.replace(LINE_BREAK, " ")}\n`;
  }
  return text;
}
