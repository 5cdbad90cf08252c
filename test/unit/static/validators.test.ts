import { describe, expect, it } from "vitest";
import {
  evaluatePreconditions,
  ifRangeAllows,
  type Validators,
  validatorsFor,
} from "../../../src/static/validators.ts";
import type { RequestHead } from "../../../src/http/parser/request-head.ts";
import { requestFields } from "../../../src/http/request-fields.ts";

function head(headers: [string, string][], method = "GET"): RequestHead {
  const all: [string, string][] = [["host", "localhost"], ...headers];
  return {
    method,
    target: "/file.txt",
    version: "1.1",
    headers: all,
    fields: requestFields(all),
    host: "localhost",
    body: { kind: "none" },
    keepAlive: true,
    expectContinue: false,
  };
}

// 1994-11-06T08:49:37.250Z
const MTIME = Date.UTC(1994, 10, 6, 8, 49, 37, 250);
const v: Validators = validatorsFor({ size: 1234, mtimeMs: MTIME });
const LAST_MODIFIED = "Sun, 06 Nov 1994 08:49:37 GMT";
const PAST = "Sat, 05 Nov 1994 08:49:37 GMT";
const FUTURE = "Mon, 07 Nov 1994 08:49:37 GMT";
const OUR_TAG = `"4d2-${MTIME.toString(16)}"`;

describe("validatorsFor", () => {
  it("makes a strong ETag from size and mtime (as nginx does), and an IMF-fixdate", () => {
    expect(v.etag).toBe(OUR_TAG);
    expect(v.lastModified).toBe(LAST_MODIFIED);
    expect(v.lastModifiedMs).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });
  it("floors a fractional mtime and appends a suffix", () => {
    const sibling = validatorsFor({ size: 255, mtimeMs: 4096.9 }, "br");
    expect(sibling.etag).toBe('"ff-1000-br"');
    expect(sibling.lastModifiedMs).toBe(4000);
  });
  it("handles files beyond 4 GiB", () => {
    expect(validatorsFor({ size: 5 * 1024 ** 3, mtimeMs: 0 }).etag).toBe('"140000000-0"');
  });
  it("is weak for a body compressed on the fly (another compressor may give other bytes)", () => {
    expect(validatorsFor({ size: 255, mtimeMs: 4096 }, "gzip", "weak").etag).toBe('W/"ff-1000-gzip"');
  });
});

describe("evaluatePreconditions", () => {
  const pre = (headers: [string, string][], method?: string) => evaluatePreconditions(head(headers, method), v);

  it("proceeds without conditional headers", () => {
    expect(pre([])).toBe("proceed");
  });
  describe("If-Match (step 1)", () => {
    it("* passes", () => {
      expect(pre([["if-match", "*"]])).toBe("proceed");
    });
    it("our strong tag matches strongly; its weak form and other tags do not", () => {
      expect(pre([["if-match", OUR_TAG]])).toBe("proceed");
      expect(pre([["if-match", `"x", ${OUR_TAG}`]])).toBe("proceed");
      expect(pre([["if-match", `W/${OUR_TAG}`]])).toBe("failed");
      expect(pre([["if-match", '"x"']])).toBe("failed");
    });
    it("a weak tag (a body compressed on the fly) never matches strongly", () => {
      const weak = validatorsFor({ size: 1234, mtimeMs: MTIME }, "gzip", "weak");
      expect(evaluatePreconditions(head([["if-match", weak.etag]]), weak)).toBe("failed");
      expect(evaluatePreconditions(head([["if-match", weak.etag.slice(2)]]), weak)).toBe("failed");
    });
    it("a strong tag matches strongly", () => {
      const strong: Validators = { ...v, etag: '"abc"' };
      expect(evaluatePreconditions(head([["if-match", '"x", "abc"']]), strong)).toBe("proceed");
      expect(evaluatePreconditions(head([["if-match", 'W/"abc"']]), strong)).toBe("failed");
    });
    it("an invalid value fails", () => {
      expect(pre([["if-match", "abc"]])).toBe("failed");
    });
    it("wins over If-Unmodified-Since", () => {
      expect(pre([["if-match", "*"], ["if-unmodified-since", PAST]])).toBe("proceed");
    });
  });
  describe("If-Unmodified-Since (step 2)", () => {
    it("fails when modified after the date", () => {
      expect(pre([["if-unmodified-since", PAST]])).toBe("failed");
    });
    it("proceeds when not modified since", () => {
      expect(pre([["if-unmodified-since", LAST_MODIFIED]])).toBe("proceed");
      expect(pre([["if-unmodified-since", FUTURE]])).toBe("proceed");
    });
    it("ignores an invalid date or a list of dates", () => {
      expect(pre([["if-unmodified-since", "yesterday"]])).toBe("proceed");
      expect(pre([["if-unmodified-since", PAST], ["if-unmodified-since", PAST]])).toBe("proceed");
    });
  });
  describe("If-None-Match (step 3)", () => {
    it("a weak match gives 304 for GET and HEAD", () => {
      expect(pre([["if-none-match", OUR_TAG]])).toBe("not-modified");
      expect(pre([["if-none-match", `W/${OUR_TAG}`]], "HEAD")).toBe("not-modified");
      expect(pre([["if-none-match", "*"]])).toBe("not-modified");
    });
    it("finds our tag anywhere in a list, across lines, with commas inside tags", () => {
      expect(pre([["if-none-match", `"a,b", W/"c" ,, ${OUR_TAG}`]])).toBe("not-modified");
      expect(pre([["if-none-match", '"a"'], ["if-none-match", OUR_TAG]])).toBe("not-modified");
      expect(pre([["if-none-match", `"x,${OUR_TAG.slice(1, -1)},y"`]])).toBe("proceed");
      const comma: Validators = { ...v, etag: 'W/"a,b"' };
      expect(evaluatePreconditions(head([["if-none-match", '"a", "a,b"']]), comma)).toBe("not-modified");
      expect(evaluatePreconditions(head([["if-none-match", '"a", "b"']]), comma)).toBe("proceed");
    });
    it("a match fails for other methods", () => {
      expect(pre([["if-none-match", OUR_TAG]], "POST")).toBe("failed");
      expect(pre([["if-none-match", "*"]], "PUT")).toBe("failed");
    });
    it("no match proceeds", () => {
      expect(pre([["if-none-match", '"other"']])).toBe("proceed");
      expect(pre([["if-none-match", 'w/"4d2-' + MTIME.toString(16) + '"']])).toBe("proceed");
    });
    it("an invalid list matches nothing", () => {
      expect(pre([["if-none-match", `${OUR_TAG} junk`]])).toBe("proceed");
    });
  });
  describe("If-Modified-Since (step 4)", () => {
    it("304 when not modified since the date", () => {
      expect(pre([["if-modified-since", LAST_MODIFIED]])).toBe("not-modified");
      expect(pre([["if-modified-since", FUTURE]], "HEAD")).toBe("not-modified");
    });
    it("proceeds when modified since", () => {
      expect(pre([["if-modified-since", PAST]])).toBe("proceed");
    });
    it("applies only to GET and HEAD", () => {
      expect(pre([["if-modified-since", FUTURE]], "POST")).toBe("proceed");
    });
    it("ignores invalid dates", () => {
      expect(pre([["if-modified-since", "Sun, 06 Nov 1994"]])).toBe("proceed");
      expect(pre([["if-modified-since", FUTURE], ["if-modified-since", FUTURE]])).toBe("proceed");
    });
    it("accepts the obsolete forms", () => {
      expect(pre([["if-modified-since", "Sun Nov  6 08:49:37 1994"]])).toBe("not-modified");
    });
  });
  describe("precedence (spec examples)", () => {
    it("If-None-Match matching + If-Modified-Since in the past -> 304", () => {
      expect(pre([["if-none-match", OUR_TAG], ["if-modified-since", PAST]])).toBe("not-modified");
    });
    it("If-None-Match not matching + If-Modified-Since in the future -> 200", () => {
      expect(pre([["if-none-match", '"nope"'], ["if-modified-since", FUTURE]])).toBe("proceed");
    });
    it('If-Match: "x" + If-None-Match matching -> 412', () => {
      expect(pre([["if-match", '"x"'], ["if-none-match", OUR_TAG]])).toBe("failed");
    });
    it("If-Unmodified-Since failing comes before If-None-Match", () => {
      expect(pre([["if-unmodified-since", PAST], ["if-none-match", OUR_TAG]])).toBe("failed");
    });
    it("If-Match * then If-None-Match matching -> 304", () => {
      expect(pre([["if-match", "*"], ["if-none-match", OUR_TAG]])).toBe("not-modified");
    });
  });
});

describe("ifRangeAllows", () => {
  const allows = (headers: [string, string][], validators = v) => ifRangeAllows(head(headers), validators);

  it("allows ranges without If-Range", () => {
    expect(allows([])).toBe(true);
  });
  it("allows a date exactly equal to Last-Modified", () => {
    expect(allows([["if-range", LAST_MODIFIED]])).toBe(true);
    expect(allows([["if-range", "Sunday, 06-Nov-94 08:49:37 GMT"]])).toBe(true);
    expect(allows([["if-range", PAST]])).toBe(false);
    expect(allows([["if-range", FUTURE]])).toBe(false);
  });
  it("refuses a date that is not a strong validator (modified less than a second before now, RFC 9110 §8.8.2.2)", () => {
    expect(ifRangeAllows(head([["if-range", LAST_MODIFIED]]), v, false)).toBe(false);
    expect(ifRangeAllows(head([["if-range", LAST_MODIFIED]]), v, true)).toBe(true);
  });
  it("allows our strong tag (Chromium seeks video with If-Range and the ETag it was given), never its weak form", () => {
    expect(allows([["if-range", OUR_TAG]])).toBe(true);
    expect(allows([["if-range", `W/${OUR_TAG}`]])).toBe(false);
  });
  it("compares entity-tags strongly", () => {
    const strong: Validators = { ...v, etag: '"abc"' };
    expect(allows([["if-range", '"abc"']], strong)).toBe(true);
    expect(allows([["if-range", 'W/"abc"']], strong)).toBe(false);
    expect(allows([["if-range", '"abd"']], strong)).toBe(false);
    expect(allows([["if-range", '"abc", "abc"']], strong)).toBe(false);
  });
  it("anything else disallows", () => {
    expect(allows([["if-range", "tomorrow"]])).toBe(false);
    expect(allows([["if-range", ""]])).toBe(false);
    expect(allows([["if-range", "*"]])).toBe(false);
  });
});
