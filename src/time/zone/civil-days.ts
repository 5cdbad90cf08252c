/**
 * Days between 1970-01-01 and a date of the proleptic Gregorian calendar (ISO 8601 §4.3.2.1,
 * ECMA-262 §21.4.1), by H. Hinnant's days_from_civil. Unlike Date.UTC it maps years 0..99 to
 * themselves rather than to 1900..1999.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1; // from March 1st
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The calendar fields of a wall-clock day, counted in days since 1970-01-01. */
export interface DayFields {
  /** 0 = Sunday (as Date.prototype.getDay and worldtimeapi.org). */
  readonly dayOfWeek: number;
  /** 1..366. */
  readonly dayOfYear: number;
  /** ISO 8601 §3.1.1.23 / §4.3.2.2: weeks start on Monday; week 1 holds the year's first Thursday. */
  readonly isoWeek: number;
}

const DAY_MS = 86_400_000;

export function dayFields(days: number): DayFields {
  const year = new Date(days * DAY_MS).getUTCFullYear();
  const dayOfWeek = (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const dayOfYear = days - daysFromCivil(year, 1, 1) + 1;
  // The week belongs to the ISO year of its Thursday; count Thursdays from that year's first.
  const thursday = days - ((dayOfWeek + 6) % 7) + 3;
  const weekYear = new Date(thursday * DAY_MS).getUTCFullYear();
  const isoWeek = Math.floor((thursday - daysFromCivil(weekYear, 1, 1)) / 7) + 1;
  return { dayOfWeek, dayOfYear, isoWeek };
}
