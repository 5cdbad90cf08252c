import { bodyLength, type HttpResponse, lengthUnknown, statusForbidsBody } from "../http/response.ts";
import { CONNECTION_SPECIFIC } from "./field-checks.ts";
import type { FieldToEncode } from "./hpack/encoder.ts";

/**
 * A response's field section as HEADERS carries it (RFC 9113 §8.3.2, §8.2): `:status` first,
 * then the common fields (Date, Server) and the response's own, names lower-cased (§8.2.1) and
 * without the connection-specific ones (§8.2.2), then content-length as HTTP/1.1 would send it
 * (RFC 9110 §8.6: not for 1xx, 204 and 304; the length GET would have for HEAD; none when
 * unknown). When it adds one, a content-length of the response's own is dropped.
 */
export function responseFields(
  response: HttpResponse,
  common: ReadonlyArray<readonly [string, string]>,
): FieldToEncode[] {
  const length = contentLength(response);
  const fields: FieldToEncode[] = [{ name: ":status", value: String(response.status) }];
  for (const pair of common) add(fields, pair, length !== null);
  for (const pair of response.headers) add(fields, pair, length !== null);
  if (length !== null) fields.push({ name: "content-length", value: String(length) });
  return fields;
}

function add(fields: FieldToEncode[], [name, value]: readonly [string, string], ownLength: boolean): void {
  const lower = name.toLowerCase();
  if (CONNECTION_SPECIFIC.has(lower) || (ownLength && lower === "content-length")) return;
  fields.push({ name: lower, value });
}

/** The content-length the response announces, or null (the same rule as serializeHead's). */
function contentLength(response: HttpResponse): number | null {
  const body = response.body;
  if (lengthUnknown(body) || statusForbidsBody(response.status) || response.lengthUnknown === true) return null;
  return bodyLength(body);
}
