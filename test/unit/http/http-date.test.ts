import { describe, expect, it } from "vitest";
import { parseHttpDate } from "../../../src/http/http-date.ts";

describe("parseHttpDate", () => {
  const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
  it("reads the three forms of RFC 9110 §5.6.7", () => {
    expect(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")).toBe(expected);
    expect(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT")).toBe(expected);
    expect(parseHttpDate("Sun Nov  6 08:49:37 1994")).toBe(expected);
    expect(parseHttpDate("Sun Nov 16 08:49:37 1994")).toBe(Date.UTC(1994, 10, 16, 8, 49, 37));
  });
  it("places a two-digit year no more than 50 years ahead", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseHttpDate("Thursday, 01-Jan-76 00:00:00 GMT", now)).toBe(Date.UTC(2076, 0, 1));
    expect(parseHttpDate("Friday, 01-Jan-77 00:00:00 GMT", now)).toBe(Date.UTC(1977, 0, 1));
    expect(parseHttpDate("Wednesday, 01-Jan-25 00:00:00 GMT", now)).toBe(Date.UTC(2025, 0, 1));
    expect(parseHttpDate("Friday, 01-Jan-00 00:00:00 GMT", Date.UTC(2099, 0, 1))).toBe(Date.UTC(2100, 0, 1));
  });
  it("takes four-digit years literally, leap days and leap seconds included", () => {
    expect(parseHttpDate("Sat, 01 Jan 0050 00:00:00 GMT")).toBe(Date.UTC(2050, 0, 1) - 5 * 146_097 * 86_400_000);
    expect(parseHttpDate("Tue, 29 Feb 2000 12:00:00 GMT")).toBe(Date.UTC(2000, 1, 29, 12));
    expect(parseHttpDate("Sat, 31 Dec 2016 23:59:60 GMT")).toBe(Date.UTC(2017, 0, 1));
  });
  it.each([
    "",
    "garbage",
    "Sun, 06 Nov 1994 08:49:37 UTC",
    "Sun, 06 Nov 1994 08:49:37 gmt",
    "sun, 06 Nov 1994 08:49:37 GMT",
    "Sun, 06 nov 1994 08:49:37 GMT",
    "Sun, 6 Nov 1994 08:49:37 GMT",
    "Sun,  06 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 8:49:37 GMT",
    "Sun, 06 Nov 94 08:49:37 GMT",
    " Sun, 06 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT ",
    "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT",
    "Sun, 06 Nov 1994 08:60:00 GMT",
    "Sun, 06 Nov 1994 08:49:61 GMT",
    "Sun, 00 Nov 1994 08:49:37 GMT",
    "Sun, 31 Nov 1994 08:49:37 GMT",
    "Tue, 29 Feb 1900 08:49:37 GMT",
    "Sun, 06 Nov 1994 08:49:37 +0000",
    "Sun, 06-Nov-94 08:49:37 GMT",
    "Sunday, 06-Nov-1994 08:49:37 GMT",
    "Sun Nov 6 08:49:37 1994",
    "Sun Nov 06 08:49:37 1994 GMT",
    "1994-11-06T08:49:37Z",
    "784111777",
  ])("rejects %j", (text) => {
    expect(parseHttpDate(text)).toBeNull();
  });
});
