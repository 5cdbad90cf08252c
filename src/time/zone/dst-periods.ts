import { daysFromCivil } from "./civil-days.ts";
import { computeOffset } from "./zone-offset.ts";

/**
 * Standard time and daylight saving time from Intl alone: the zone's offset is sampled through
 * a year and each change is found by bisection, to the second.
 */

/** A change of the zone's offset: from `at` (ms, the first second of the new offset) on. */
interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** One UTC calendar year of a zone: its standard offset and its offset changes, in order. */
interface YearInfo {
  /** Minutes east of UTC: the smallest offset in effect during the year. */
  readonly standard: number;
  readonly transitions: readonly Transition[];
}

/** A week between samples: zones change offset at most a few times a year. */
const STEP_MS = 7 * 86_400_000;

/** The first second in (lo, hi] whose offset is not loOffset; offset(hi) must differ from it. */
function firstChange(zone: string, lo: number, loOffset: number, hi: number): number {
  let a = lo;
  let b = hi;
  while (b - a > 1000) {
    const mid = a + Math.floor((b - a) / 2000) * 1000;
    if (computeOffset(mid, zone) === loOffset) a = mid;
    else b = mid;
  }
  return b;
}

function computeYear(zone: string, year: number): YearInfo {
  const start = daysFromCivil(year, 1, 1) * 86_400_000;
  const end = daysFromCivil(year + 1, 1, 1) * 86_400_000;
  const transitions: Transition[] = [];
  let lo = start;
  let loOffset = computeOffset(start, zone);
  let standard = loOffset;
  while (lo < end) {
    const hi = Math.min(lo + STEP_MS, end);
    const hiOffset = computeOffset(hi, zone);
    // Every change in (lo, hi]: usually none, at most two in one week.
    let at = lo;
    let offset = loOffset;
    while (offset !== hiOffset) {
      at = firstChange(zone, at, offset, hi);
      const after = computeOffset(at, zone);
      transitions.push({ at, before: offset, after });
      standard = Math.min(standard, after);
      offset = after;
    }
    lo = hi;
    loOffset = hiOffset;
  }
  return { standard, transitions };
}

/** Per (zone, year): a request costs no bisection once its year is known. */
const years = new Map<string, YearInfo>();
const MAX_YEARS = 1024;

function yearInfo(zone: string, year: number): YearInfo {
  const key = `${year} ${zone}`;
  let info = years.get(key);
  if (info === undefined) {
    info = computeYear(zone, year);
    if (years.size >= MAX_YEARS) years.clear();
    years.set(key, info);
  }
  return info;
}

/** Where the zone stands at an instant with respect to daylight saving time. */
export interface DstState {
  /** The standard offset, minutes east of UTC. */
  readonly standard: number;
  readonly dst: boolean;
  /** When in DST: the instant (ms) the current DST period began, and the instant it ends. */
  readonly from: number | null;
  readonly until: number | null;
}

/** How far around the instant's year to look for the ends of a DST period (southern summers span the new year). */
const SEARCH_YEARS = 2;

/** The latest change at or before ms that left standard time. */
function periodStart(zone: string, year: number, ms: number, standard: number): number | null {
  for (let y = year; y >= year - SEARCH_YEARS; y--) {
    const list = yearInfo(zone, y).transitions;
    for (let i = list.length - 1; i >= 0; i--) {
      const t = list[i]!;
      if (t.at <= ms && t.before <= standard) return t.at;
    }
  }
  return null;
}

/** The first change after ms back to standard time. */
function periodEnd(zone: string, year: number, ms: number, standard: number): number | null {
  for (let y = year; y <= year + SEARCH_YEARS; y++) {
    for (const t of yearInfo(zone, y).transitions) {
      if (t.at > ms && t.after <= standard) return t.at;
    }
  }
  return null;
}

/**
 * DST is an offset above the year's smallest one, with a start and an end: a zone that moves
 * its clocks for good (no way back within two years) has changed its standard time instead.
 */
export function dstState(ms: number, zone: string, offset: number): DstState {
  const year = new Date(ms).getUTCFullYear();
  const { standard } = yearInfo(zone, year);
  if (offset > standard) {
    const from = periodStart(zone, year, ms, standard);
    const until = from === null ? null : periodEnd(zone, year, ms, standard);
    if (from !== null && until !== null) return { standard, dst: true, from, until };
  }
  return { standard: offset, dst: false, from: null, until: null };
}
