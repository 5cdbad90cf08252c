import { type Response, utf8 } from "../http/response.ts";
import type { Clock } from "../ports.ts";
import { timeFields } from "./time-fields.ts";

const JSON_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["Content-Type", "application/json; charset=utf-8"],
  // The answer is only true for an instant: never store it (RFC 9111 §5.2.2.5).
  ["Cache-Control", "no-store"],
];

/** The last answer: every field derives from the millisecond and the zone, so it is reused within them. */
let last: { ms: number; zone: string; response: Response } | null = null;

/** GET /time: the current instant as JSON. */
export function timeResponse(clock: Clock): Response {
  const ms = clock.now();
  const zone = clock.timeZone();
  if (last !== null && last.ms === ms && last.zone === zone) return last.response;
  const body = utf8(JSON.stringify(timeFields(ms, zone)));
  const response: Response = { status: 200, headers: JSON_HEADERS, body };
  last = { ms, zone, response };
  return response;
}
