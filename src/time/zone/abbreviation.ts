import { numericAbbreviation } from "./zone-offset.ts";

/**
 * Zone abbreviations from ICU's short zone names (CLDR metazone names). A locale only has the
 * names its users know ("en-US": EST/EDT; "en-GB": CET/CEST, BST; "en-IN": IST; "en-AU":
 * ACST/AEDT; "en-IE": Dublin's IST), so they are asked in turn. Otherwise ICU writes the
 * localized GMT format ("GMT+1", "GMT+5:30", "GMT+0", "GMT"; UTS #35 part 4 "Time Zone Format
 * Terminology"), and the answer is tzdata's numeric style instead ("+0530", "-03"), or "GMT"
 * at offset zero.
 */
const LOCALES = ["en-US", "en-GB", "en-IN", "en-AU", "en-IE"] as const;

/** CLDR's localized GMT format (gmtFormat / gmtZeroFormat), which is no abbreviation. */
const LOCALIZED_GMT = /^(?:GMT|UTC)(?:[+\u2212-]\d{1,2}(?::\d{2}){0,2})?$/;

function shortName(locale: string, zone: string, ms: number): string | null {
  try {
    const format = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" });
    return format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? null;
  } catch {
    return null; // RangeError: unknown zone or locale
  }
}

function computeAbbreviation(ms: number, zone: string, offset: number): string {
  for (const locale of LOCALES) {
    const name = shortName(locale, zone, ms);
    if (name === null) continue;
    if (name === "UTC" || !LOCALIZED_GMT.test(name)) return name;
  }
  return offset === 0 ? "GMT" : numericAbbreviation(offset);
}

/** Per (zone, offset, DST): names change with those, so Intl is asked once for each. */
const names = new Map<string, string>();
const MAX_NAMES = 512;

export function abbreviation(ms: number, zone: string, offset: number, dst: boolean): string {
  const key = `${offset} ${dst ? 1 : 0} ${zone}`;
  let name = names.get(key);
  if (name === undefined) {
    name = computeAbbreviation(ms, zone, offset);
    if (names.size >= MAX_NAMES) names.clear();
    names.set(key, name);
  }
  return name;
}
