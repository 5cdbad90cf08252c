/** fast-check arbitraries for field lists: names and values common on the web, and any octets. */
import fc from "fast-check";
import type { FieldToEncode } from "../../../../src/http2/hpack/encoder.ts";

const COMMON_NAMES = [
  ":method",
  ":path",
  ":authority",
  ":scheme",
  ":status",
  "accept",
  "accept-encoding",
  "authorization",
  "cache-control",
  "content-length",
  "content-type",
  "cookie",
  "date",
  "etag",
  "server",
  "set-cookie",
  "user-agent",
  "x-custom",
];

const COMMON_VALUES = ["", "GET", "/", "200", "404", "302", "gzip, deflate", "text/html", "no-cache", "sundial"];

/** A latin1 string of any octets. */
export const octets = (maxLength: number): fc.Arbitrary<string> =>
  fc.uint8Array({ maxLength }).map((bytes) => String.fromCharCode(...bytes));

export const fieldName: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...COMMON_NAMES), octets(20));

export const fieldValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...COMMON_VALUES) },
  { weight: 4, arbitrary: octets(40) },
  { weight: 1, arbitrary: octets(700) },
);

export const field: fc.Arbitrary<FieldToEncode> = fc.record({
  name: fieldName,
  value: fieldValue,
  sensitive: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

export const fieldList = (maxLength = 12): fc.Arbitrary<FieldToEncode[]> => fc.array(field, { maxLength });

/** Table sizes around the interesting points: none, one entry, small, the default. */
export const tableSize: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 32, 64, 256, 4096),
  fc.integer({ min: 0, max: 4096 }),
);
