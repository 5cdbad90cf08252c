import { daysFromCivil } from "./civil-days.ts";

/** Zone offsets from Intl alone: the wall clock it shows for an instant, minus the instant. */

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;

function newFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** One formatter per zone (creating one costs tens of microseconds); an unknown zone reads as UTC. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = newFormatter(timeZone);
    } catch {
      // RangeError: a zone the runtime does not know (ECMA-402 §11.1.2). Callers validate
      // names with canonicalZone; here the module answers rather than throws.
      f = formatterFor("UTC");
    }
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of the zone at the instant, in minutes east of UTC, straight from Intl (no cache). */
export function computeOffset(ms: number, timeZone: string): number {
  // Outside ECMA-262's time range (±8.64e15 ms, §21.4.1.1) Intl throws a RangeError.
  if (!(Math.abs(ms) <= 8.64e15)) return 0;
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of formatterFor(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year; // 1 BC is year 0 (ISO 8601 §4.1.2.1)
  const hour = Number(parts.hour) % 24;
  const day = daysFromCivil(year, Number(parts.month), Number(parts.day));
  const wallSeconds = day * 86_400 + hour * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  const offset = Math.round((wallSeconds - Math.floor(ms / 1000)) / 60);
  return Number.isFinite(offset) ? offset : 0;
}

/** Zone offsets change only on minute boundaries, so one Intl call per zone per minute is enough. */
const offsetCache = new Map<string, { minute: number; offset: number }>();

/** Offset of the zone from UTC at the instant, in minutes (east positive); 0 for a zone the runtime does not know. */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const minute = Math.floor(ms / 60_000);
  const cached = offsetCache.get(timeZone);
  if (cached !== undefined && cached.minute === minute) return cached.offset;
  const offset = computeOffset(ms, timeZone);
  if (offsetCache.size > 64) offsetCache.clear();
  offsetCache.set(timeZone, { minute, offset });
  return offset;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "+HH:MM" / "-HH:MM" (ISO 8601 §4.2.5.1 / RFC 3339 §5.6 time-numoffset). */
export function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** tzdata's numeric abbreviation ("+0530", "-03", "+14"): hours, and minutes only when not zero. */
export function numericAbbreviation(minutes: number): string {
  const abs = Math.abs(minutes);
  const mm = abs % 60;
  return `${minutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}${mm === 0 ? "" : pad2(mm)}`;
}
