/** The /time document: one instant described in UTC and in the server's zone, via Intl only. */
export interface TimeFields {
  readonly utc_datetime: string;
  readonly datetime: string;
  readonly unixtime: number;
  readonly unixtime_ms: number;
  readonly timezone: string;
  readonly utc_offset: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Zone offsets change only on minute boundaries, so one Intl call per zone per minute is enough. */
const offsetCache = new Map<string, { minute: number; offset: number }>();

/** Offset of the zone from UTC at the instant, in minutes (east positive). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const minute = Math.floor(ms / 60_000);
  const cached = offsetCache.get(timeZone);
  if (cached !== undefined && cached.minute === minute) return cached.offset;
  const offset = computeOffset(ms, timeZone);
  if (offsetCache.size > 64) offsetCache.clear();
  offsetCache.set(timeZone, { minute, offset });
  return offset;
}

function computeOffset(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(ms)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const second = Math.floor(ms / 1000) * 1000;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wall - second) / 60_000);
}

/** "+HH:MM" / "-HH:MM" (ISO 8601 / RFC 3339 offset). */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export function timeFields(ms: number, timeZone: string): TimeFields {
  const offset = zoneOffsetMinutes(ms, timeZone);
  const utc = new Date(ms).toISOString();
  // The wall-clock time in the zone is the UTC rendering of the shifted instant.
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1) + formatOffset(offset);
  return {
    utc_datetime: utc,
    datetime: local,
    unixtime: Math.floor(ms / 1000),
    unixtime_ms: ms,
    timezone: timeZone,
    utc_offset: formatOffset(offset),
  };
}
