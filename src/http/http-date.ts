/** HTTP-dates (RFC 9110 §5.6.7): written as IMF-fixdate, read in any of the three forms. */

/** The second last formatted, and its IMF-fixdate. */
let cachedSecond = Number.NaN;
let cachedValue = "";

/** IMF-fixdate (RFC 9110 §5.6.7) of an instant, cached for the second it falls in. */
export function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    // Date.prototype.toUTCString produces exactly IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    cachedValue = new Date(second * 1000).toUTCString();
  }
  return cachedValue;
}

const DAY_NAMES = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY_NAMES = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = `(${MONTHS.join("|")})`;
const TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})";
// RFC 9110 §5.6.7: IMF-fixdate = day-name "," SP DD SP Mon SP YYYY SP time-of-day SP "GMT".
const IMF_FIXDATE = new RegExp(`^${DAY_NAMES}, ([0-9]{2}) ${MONTH} ([0-9]{4}) ${TIME} GMT$`);
// RFC 9110 §5.6.7: rfc850-date = day-name-l "," SP DD "-" Mon "-" YY SP time-of-day SP "GMT".
const RFC850_DATE = new RegExp(`^${LONG_DAY_NAMES}, ([0-9]{2})-${MONTH}-([0-9]{2}) ${TIME} GMT$`);
// RFC 9110 §5.6.7: asctime-date = day-name SP Mon SP ( 2DIGIT / SP DIGIT ) SP time-of-day SP YYYY.
const ASCTIME_DATE = new RegExp(`^${DAY_NAMES} ${MONTH} ([0-9]{2}| [0-9]) ${TIME} ([0-9]{4})$`);

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7) in any of its three forms, case-sensitively, into ms
 * since the epoch; null when it is not one. The day name is not checked against the date.
 * `nowMs` only places the two-digit year of the obsolete RFC 850 form.
 */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | null {
  let m = IMF_FIXDATE.exec(text);
  if (m !== null) return toMs(Number(m[3]), m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  m = RFC850_DATE.exec(text);
  if (m !== null) {
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is the most recent
    // past year with those last two digits.
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = nowYear - (nowYear % 100) + Number(m[3]);
    if (year > nowYear + 50) year -= 100;
    else if (year < nowYear - 49) year += 100;
    return toMs(year, m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME_DATE.exec(text);
  if (m !== null) return toMs(Number(m[6]), m[1]!, Number(m[2]!.trim()), m[3]!, m[4]!, m[5]!);
  return null;
}

/** Checks the fields' ranges (a leap second 60 is allowed, RFC 9110 §5.6.7) and converts. */
function toMs(year: number, monthName: string, day: number, hh: string, mm: string, ss: string): number | null {
  const month = MONTHS.indexOf(monthName);
  const hour = Number(hh);
  const minute = Number(mm);
  const second = Number(ss);
  if (hour > 23 || minute > 59 || second > 60 || day < 1 || day > daysInMonth(year, month)) return null;
  // Date.UTC maps years 0-99 to 1900-1999; shifting by 400 years (exactly 146097 days) avoids that.
  return Date.UTC(year + 400, month, day, hour, minute, second) - 146_097 * 86_400_000;
}

/** Days in a month (0-based) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}
