/** Values of command-line options: sizes, counts and durations, written the way nginx's are. */

const SIZE_UNITS: Readonly<Record<string, number>> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const TIME_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, "": 1000, m: 60_000 };
/** Longest duration accepted (a day): runtime timers hold at most about 24.8 days anyway. */
const MAX_DURATION_MS = 86_400_000;

/** A size in bytes: "8192", "8k", "1m", "1g" (binary units, case-insensitive), at least 1. */
export function parseSize(text: string): number | null {
  const match = /^([0-9]{1,12})([kKmMgG]?)$/.exec(text);
  if (match === null) return null;
  const bytes = Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!;
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : null;
}

/** A whole number of things, at least 1. */
export function parseCount(text: string): number | null {
  if (!/^[0-9]{1,9}$/.test(text)) return null;
  const count = Number(text);
  return count >= 1 ? count : null;
}

/** A duration in milliseconds: "60" or "60s" (seconds), "500ms", "2m", "1.5s"; more than 0, at most a day. */
export function parseDuration(text: string): number | null {
  const match = /^([0-9]{1,9}(?:\.[0-9]{1,3})?)(ms|s|m)?$/.exec(text);
  if (match === null) return null;
  const ms = Math.round(Number(match[1]) * TIME_UNITS[match[2] ?? ""]!);
  return ms >= 1 && ms <= MAX_DURATION_MS ? ms : null;
}

/** A port number: an integer 0-65535 written in decimal. */
export function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}
