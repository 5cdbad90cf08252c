import { describe, expect, it } from "vitest";
import { METRICS_CONTENT_TYPE } from "../../../src/metrics/content-type.ts";
import {
  escapeHelp,
  escapeLabelValue,
  familyHead,
  formatValue,
  labelSet,
  sample,
} from "../../../src/metrics/exposition.ts";
import { DURATION_BUCKETS } from "../../../src/metrics/histogram.ts";

describe("the text exposition format's pieces", () => {
  it("escapes label values: backslash, double quote, line feed", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue("plain")).toBe("plain");
    expect(escapeLabelValue("tab\tand\rcr")).toBe("tab\tand\rcr");
  });

  it("escapes HELP text: backslash and line feed, not quotes", () => {
    expect(escapeHelp('a\\b"c\nd')).toBe('a\\\\b"c\\nd');
  });

  it("writes integers plainly, floats as JavaScript does, and the specials as Go reads them", () => {
    expect(formatValue(0)).toBe("0");
    expect(formatValue(-0)).toBe("0");
    expect(formatValue(42)).toBe("42");
    expect(formatValue(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(formatValue(1e21)).toBe("1e+21");
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe("+Inf");
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe("-Inf");
    expect(formatValue(Number.NaN)).toBe("NaN");
  });

  it("writes HELP, TYPE and sample lines", () => {
    expect(familyHead("x_total", "counter", "Some\nthing.")).toBe(
      "# HELP x_total Some\\nthing.\n# TYPE x_total counter\n",
    );
    expect(labelSet([])).toBe("");
    expect(labelSet([["method", "GET"], ["code", 'a"b']])).toBe('{method="GET",code="a\\"b"}');
    expect(sample("x_total", '{a="b"}', 3)).toBe('x_total{a="b"} 3\n');
  });

  it("writes the duration buckets in seconds, +Inf last", () => {
    expect(DURATION_BUCKETS).toEqual([
      "0.001",
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.1",
      "0.25",
      "0.5",
      "1",
      "2.5",
      "5",
      "10",
      "+Inf",
    ]);
  });

  it("names the format's content type", () => {
    expect(METRICS_CONTENT_TYPE).toBe("text/plain; version=0.0.4; charset=utf-8");
  });
});
