import { formatOffset, zoneOffsetMinutes } from "../time/zone/zone-offset.ts";

/**
 * The time stamps of access log lines, in the server's zone (Clock.timeZone()):
 *   clf: "02/Dec/2026:06:40:45 +0000", Apache's %t / nginx's $time_local
 *        (strftime "%d/%b/%Y:%H:%M:%S %z", English month names whatever the locale);
 *   iso: "2026-12-02T06:40:45.123+00:00", ISO 8601 / RFC 3339 §5.6 with milliseconds.
 *
 * Everything but the milliseconds depends only on the second, and a server writes many lines
 * a second, so each second's text is built once and kept. Zone offsets change on whole minutes
 * (DST and zone changes are set at whole minutes of the wall clock; src/time/zone/zone-offset.ts
 * caches on the same ground), so the offset is asked of Intl once a minute and reused for the
 * other seconds of that minute: a DST change shows from its first second, never later.
 * Two seconds are kept, not one: lines are written as requests end, so a slow request begun
 * in the previous second often lands among the next second's lines.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** ECMA-262 §21.4.1.1's time range, less two days so that the wall clock stays inside it. */
const MAX_MS = 8.64e15 - 2 * 86_400_000;

interface SecondText {
  readonly second: number;
  readonly minute: number;
  /** Minutes east of UTC. */
  readonly offset: number;
  readonly clf: string;
  /** "2026-12-02T06:40:45." */
  readonly isoPrefix: string;
  /** "+00:00" */
  readonly isoOffset: string;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A year in at least four digits, as strftime's %Y and ISO 8601 §4.1.2.1 write it. */
function year4(year: number): string {
  const digits = String(Math.abs(year)).padStart(4, "0");
  return year < 0 ? `-${digits}` : digits;
}

/** Milliseconds as a whole number inside Date's range (NaN reads as the epoch). */
function instant(ms: number): number {
  return Number.isFinite(ms) ? Math.min(Math.max(Math.floor(ms), -MAX_MS), MAX_MS) : 0;
}

export class LogTime {
  private current: SecondText | null = null;
  private previous: SecondText | null = null;

  /** timeZone: an IANA name; one the runtime does not know reads as UTC (zone-offset.ts). */
  constructor(readonly timeZone: string) {}

  /** "02/Dec/2026:06:40:45 +0000" for ms since the epoch, in the zone. */
  clf(ms: number): string {
    return this.secondText(Math.floor(instant(ms) / 1000)).clf;
  }

  /** "2026-12-02T06:40:45.123+00:00" for ms since the epoch, in the zone. */
  iso(ms: number): string {
    const at = instant(ms);
    const second = Math.floor(at / 1000);
    const text = this.secondText(second);
    const millis = at - second * 1000;
    const fraction = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis);
    return `${text.isoPrefix}${fraction}${text.isoOffset}`;
  }

  private secondText(second: number): SecondText {
    const current = this.current;
    if (current !== null && current.second === second) return current;
    const previous = this.previous;
    if (previous !== null && previous.second === second) {
      this.previous = current;
      this.current = previous;
      return previous;
    }
    const text = this.build(second);
    this.previous = current;
    this.current = text;
    return text;
  }

  /** The offset of a minute one of the two kept seconds is in, else Intl's (through zone-offset.ts). */
  private offsetOf(minute: number, ms: number): number {
    if (this.current !== null && this.current.minute === minute) return this.current.offset;
    if (this.previous !== null && this.previous.minute === minute) return this.previous.offset;
    return zoneOffsetMinutes(ms, this.timeZone);
  }

  private build(second: number): SecondText {
    const ms = second * 1000;
    const minute = Math.floor(second / 60);
    const offset = this.offsetOf(minute, ms);
    const wall = new Date(ms + offset * 60_000);
    const isoOffset = formatOffset(offset);
    // strftime %z is ISO 8601's basic format "+hhmm" (C99 §7.23.3.5); RFC 3339 uses "+hh:mm".
    const clfOffset = isoOffset.replace(":", "");
    const clf = `${pad2(wall.getUTCDate())}/${MONTHS[wall.getUTCMonth()]!}/${year4(wall.getUTCFullYear())}:` +
      `${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}:${pad2(wall.getUTCSeconds())} ${clfOffset}`;
    // toISOString ends in ".000Z" here: keep up to the decimal point.
    return { second, minute, offset, clf, isoPrefix: wall.toISOString().slice(0, -4), isoOffset };
  }
}
