import { describe, expect, it } from "vitest";
import { chooseEncoding, type Coding } from "../../../../src/http/negotiation/accept-encoding.ts";

const ALL: readonly Coding[] = ["gzip", "br", "zstd"];

describe("chooseEncoding", () => {
  it("identity without the header, or when nothing is available", () => {
    expect(chooseEncoding(undefined, ALL)).toBeNull();
    expect(chooseEncoding("gzip, br", [])).toBeNull();
  });
  it("identity for an empty header (no coding wanted)", () => {
    expect(chooseEncoding("", ALL)).toBeNull();
  });
  it("prefers br > zstd > gzip at equal q", () => {
    expect(chooseEncoding("gzip, deflate, br, zstd", ALL)).toBe("br");
    expect(chooseEncoding("gzip, zstd", ALL)).toBe("zstd");
    expect(chooseEncoding("gzip", ALL)).toBe("gzip");
    expect(chooseEncoding("gzip, br", ["gzip"])).toBe("gzip");
  });
  it("the highest q wins", () => {
    expect(chooseEncoding("br;q=0.5, gzip;q=0.8", ALL)).toBe("gzip");
    expect(chooseEncoding("br;q=0.999, gzip", ALL)).toBe("gzip");
    expect(chooseEncoding("br;q=0.1, gzip;q=0.1", ALL)).toBe("br");
  });
  it("q=0 refuses a coding", () => {
    expect(chooseEncoding("br;q=0, gzip", ALL)).toBe("gzip");
    expect(chooseEncoding("br;q=0.000, gzip;q=0", ALL)).toBeNull();
    expect(chooseEncoding("br;q=0., gzip;q=0.001", ALL)).toBe("gzip");
  });
  it("only codings that are available are chosen", () => {
    expect(chooseEncoding("br", ["gzip"])).toBeNull();
    expect(chooseEncoding("deflate, compress", ALL)).toBeNull();
  });
  it("* applies to codings not listed", () => {
    expect(chooseEncoding("*", ALL)).toBe("br");
    expect(chooseEncoding("*;q=0.5, gzip", ALL)).toBe("gzip");
    expect(chooseEncoding("br;q=0, *", ALL)).toBe("zstd");
    expect(chooseEncoding("*;q=0", ALL)).toBeNull();
    expect(chooseEncoding("*;q=0, gzip", ALL)).toBe("gzip");
  });
  it("x-gzip counts as gzip", () => {
    expect(chooseEncoding("x-gzip", ALL)).toBe("gzip");
    expect(chooseEncoding("X-GZIP;q=0.5", ["gzip"])).toBe("gzip");
  });
  it("is case-insensitive, q included", () => {
    expect(chooseEncoding("GZip;Q=1, BR;q=0", ALL)).toBe("gzip");
  });
  it("allows OWS around elements and semicolons, and empty elements", () => {
    expect(chooseEncoding(" , gzip ;  q=0.5 ,,\tbr\t;\tq=0.4 ,", ALL)).toBe("gzip");
  });
  it("identity wins only when weighed higher than every coding", () => {
    expect(chooseEncoding("gzip;q=0.5, identity", ALL)).toBeNull();
    expect(chooseEncoding("gzip, identity", ALL)).toBe("gzip");
    expect(chooseEncoding("gzip;q=0.5, *;q=0.8", ["gzip"])).toBeNull();
    expect(chooseEncoding("identity;q=0, gzip", ALL)).toBe("gzip");
  });
  it("a coding listed twice keeps its highest weight", () => {
    expect(chooseEncoding("br;q=0, br;q=0.5, gzip;q=0.4", ALL)).toBe("br");
  });
  it.each([
    ["br;q=2, gzip;q=0.1", "gzip"],
    ["br;q=1.5, gzip;q=0.1", "gzip"],
    ["br;q=1.0001, gzip;q=0.1", "gzip"],
    ["br;q=0.0001, gzip;q=0.1", "gzip"],
    ["br;q=-1, gzip;q=0.1", "gzip"],
    ["br;q=, gzip;q=0.1", "gzip"],
    ["br;q = 1, gzip;q=0.1", "gzip"],
    ["br;level=5, gzip;q=0.1", "gzip"],
    ["br;q=1;q=1, gzip;q=0.1", "gzip"],
    ["br q=1, gzip;q=0.1", "gzip"],
    ['b"r, gzip;q=0.1', "gzip"],
  ])("ignores the malformed element in %j", (header, expected) => {
    expect(chooseEncoding(header, ALL)).toBe(expected);
  });
  it("accepts the qvalue forms of RFC 9110 §12.4.2", () => {
    for (const q of ["1", "1.", "1.0", "1.000", "0.5", "0.001"]) {
      expect(chooseEncoding(`br;q=${q}, gzip;q=0.0001`, ["br"])).toBe("br");
    }
  });
});
