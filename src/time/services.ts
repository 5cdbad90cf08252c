import { utf8 } from "../http/response.ts";
import { answerAndClose } from "../io/answer-and-close.ts";
import type { Clock } from "../ports/clock.ts";
import type { Socket } from "../ports/socket.ts";
import { timeFields } from "./fields.ts";

/** The classic time services on raw TCP: RFC 867 Daytime and RFC 868 Time. */
export type TimeService = "daytime" | "time";

/** Seconds from 1900-01-01 (RFC 868's epoch) to 1970-01-01. */
const EPOCH_1900 = 2_208_988_800;

const daytimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * RFC 867 leaves the syntax free and suggests "Weekday, Month Day, Year Time-Zone":
 * "Monday, November 23, 2026 19:20:01-CET", in the server's zone, ending in CRLF.
 */
export function daytimeText(ms: number, timeZone: string): string {
  let format = daytimeFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "long",
      month: "long",
      day: "numeric",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    if (daytimeFormats.size < 16) daytimeFormats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(ms)) parts[p.type] = p.value;
  const abbreviation = timeFields(ms, timeZone).abbreviation;
  // "-CET" as RFC 867's example writes a zone; an offset-style abbreviation ("-03") stands apart.
  const zone = /^[+-]/.test(abbreviation) ? ` ${abbreviation}` : `-${abbreviation}`;
  return `${parts.weekday}, ${parts.month} ${parts.day}, ${parts.year} ${parts.hour}:${parts.minute}:${parts.second}${zone}\r\n`;
}

/** RFC 868: the seconds since 1900-01-01T00:00:00Z as a 32-bit big-endian number (it wraps in 2036). */
export function timeProtocolBytes(ms: number): Uint8Array {
  const seconds = (Math.floor(ms / 1000) + EPOCH_1900) % 2 ** 32;
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, seconds);
  return out;
}

/** Answers one connection: the time, then close (both protocols ignore what the client sends). */
export function answerTimeService(service: TimeService, socket: Socket, clock: Clock): void {
  const ms = clock.now();
  answerAndClose(socket, service === "daytime" ? utf8(daytimeText(ms, clock.timeZone())) : timeProtocolBytes(ms));
}
