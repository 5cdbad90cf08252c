import { type Response, utf8 } from "../http/response.ts";
import type { Clock } from "../ports.ts";
import { timeFields } from "./time-fields.ts";

const JSON_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["Content-Type", "application/json; charset=utf-8"],
  // The answer is only true for an instant: never store it (RFC 9111 §5.2.2.5).
  ["Cache-Control", "no-store"],
];

/** GET /time: the current instant as JSON. */
export function timeResponse(clock: Clock): Response {
  const body = utf8(JSON.stringify(timeFields(clock.now(), clock.timeZone())));
  return { status: 200, headers: JSON_HEADERS, body };
}
