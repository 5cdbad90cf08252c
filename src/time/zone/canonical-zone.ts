/**
 * Canonical IANA zone names from Intl alone. Runtimes disagree on what
 * resolvedOptions().timeZone returns: V8 (Node, Deno) gives ICU's canonical ID, which keeps
 * CLDR's old spellings ("Asia/Calcutta"); JavaScriptCore (Bun) gives the input, case-normalized,
 * links included ("US/Eastern"), as ECMA-402 now specifies (§11.1.2, with Temporal's
 * primary identifiers). Both are mapped here to the IANA primary name, so every runtime
 * answers the same.
 */

/** CLDR canonical IDs whose IANA primary name changed (CLDR bcp47/timezone.xml "iana" attribute). */
const CLDR_TO_IANA: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

/**
 * The shape of a tz database name (tzfile(5), Theory): ASCII letters, digits, "_", "-", "+",
 * "/"-separated, starting with a letter. Rules out the UTC offsets ("+01:00") that newer
 * runtimes also accept as a timeZone, which are not zones.
 */
const NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
/** IANA's longest name has 32 characters; longer input is not a zone. */
const MAX_NAME = 64;
/** The fixed-offset zones ("Etc/GMT+5"), which V8 resolves but does not list. */
const ETC_OFFSET = /^Etc\/GMT[+-](?:[1-9]|1[0-4])$/;

let primaries: ReadonlySet<string> | null = null;

/** The runtime's zones by primary name ("UTC" included); null when it cannot list them. */
function primaryZones(): ReadonlySet<string> | null {
  if (primaries === null) {
    try {
      const set = new Set<string>(["UTC"]);
      for (const zone of Intl.supportedValuesOf("timeZone")) set.add(CLDR_TO_IANA[zone] ?? zone);
      primaries = set;
    } catch {
      return null;
    }
  }
  return primaries;
}

interface ZonedLike {
  equals(other: ZonedLike): boolean;
}
interface TemporalLike {
  readonly Instant: { fromEpochMilliseconds(ms: number): { toZonedDateTimeISO(zone: string): ZonedLike } };
}

/**
 * The primary name of a link ("US/Eastern" -> "America/New_York") where the runtime only
 * case-normalizes: Temporal's ZonedDateTime.equals compares primary identifiers (Temporal
 * TimeZoneEquals), so the listed zone equal to the link is its primary. Null without Temporal.
 */
function primaryOfLink(id: string, known: ReadonlySet<string>): string | null {
  const temporal = (globalThis as unknown as { Temporal?: TemporalLike }).Temporal;
  if (temporal === undefined) return null;
  try {
    const epoch = temporal.Instant.fromEpochMilliseconds(0);
    const target = epoch.toZonedDateTimeISO(id);
    for (const zone of known) if (epoch.toZonedDateTimeISO(zone).equals(target)) return zone;
  } catch {
    // A runtime whose Temporal does not know the name: not a zone we can name.
  }
  return null;
}

function resolve(name: string): string | null {
  if (name.length === 0 || name.length > MAX_NAME || !NAME.test(name)) return null;
  let id: string;
  try {
    id = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null; // RangeError: not a zone this runtime knows (ECMA-402 §11.1.2)
  }
  id = CLDR_TO_IANA[id] ?? id;
  const known = primaryZones();
  if (known === null || known.has(id) || ETC_OFFSET.test(id)) return id;
  // A link this runtime did not resolve, or an ICU-only ID ("SystemV/EST5", "Factory").
  return primaryOfLink(id, known);
}

/** Answers per input name, valid or not; bounded, as names may come from requests. */
const resolved = new Map<string, string | null>();
const MAX_RESOLVED = 512;

/** The canonical IANA name for a zone the runtime knows (case-insensitive input, e.g. "europe/berlin" -> "Europe/Berlin", "UTC"), or null. */
export function canonicalZone(name: string): string | null {
  const hit = resolved.get(name);
  if (hit !== undefined) return hit;
  const zone = resolve(name);
  if (resolved.size >= MAX_RESOLVED) resolved.clear();
  resolved.set(name, zone);
  return zone;
}
