import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accessLine,
  escapeLogValue,
  isLogFormat,
  LOG_FORMATS,
  websocketCloseLine,
} from "../../../src/access-log/format.ts";
import { LogTime } from "../../../src/access-log/log-time.ts";
import type { AccessRecord } from "../../../src/access-log/record.ts";

const RECORD: AccessRecord = {
  client: "203.0.113.7",
  startedMs: Date.parse("2026-12-02T06:40:45.123Z"),
  method: "GET",
  target: "/index.html?q=1",
  version: "1.1",
  status: 200,
  bodyBytes: 1234,
  referer: "https://example.com/",
  userAgent: "curl/8.5.0",
  durationMs: 1.5,
  requestId: "1f0c9a3e-1",
  connectionRequests: 1,
  host: "example.com",
  scheme: "https",
};

const utc = new LogTime("UTC");
const line = (format: "common" | "combined" | "json", changes: Partial<AccessRecord> = {}): string =>
  accessLine(format, { ...RECORD, ...changes }, utc);

/** Any UTF-16 string, lone surrogates included. */
const anyString = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
/** A latin-1 string, as the parser gives. */
const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

/** Reverses escapeLogValue for latin-1 values. */
const unescape = (text: string): string =>
  text.replace(/\\x([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

describe("accessLine: common and combined, as Apache and nginx write them", () => {
  it('common is %h %l %u %t "%r" %>s %b', () => {
    expect(line("common")).toBe('203.0.113.7 - - [02/Dec/2026:06:40:45 +0000] "GET /index.html?q=1 HTTP/1.1" 200 1234');
  });

  it("writes %b as Apache does: - for no body bytes", () => {
    expect(line("common", { status: 304, bodyBytes: 0 })).toBe(
      '203.0.113.7 - - [02/Dec/2026:06:40:45 +0000] "GET /index.html?q=1 HTTP/1.1" 304 -',
    );
  });

  it("combined appends the quoted Referer and User-Agent and nothing else", () => {
    expect(line("combined", { version: "1.0", method: "HEAD" })).toBe(
      '203.0.113.7 - - [02/Dec/2026:06:40:45 +0000] "HEAD /index.html?q=1 HTTP/1.0" 200 1234 "https://example.com/" "curl/8.5.0"',
    );
    expect(line("combined", { referer: null, userAgent: null })).toMatch(/ 200 1234 "-" "-"$/);
    expect(line("combined", { referer: "", userAgent: "" })).toMatch(/ 200 1234 "" ""$/);
  });

  it("uses the zone of its LogTime", () => {
    expect(accessLine("common", RECORD, new LogTime("Asia/Kolkata"))).toContain("[02/Dec/2026:12:10:45 +0530]");
  });

  it("writes - for a missing request line and a missing client", () => {
    expect(line("common", { method: "", target: "", client: "", status: 400, bodyBytes: 0 })).toBe(
      '- - - [02/Dec/2026:06:40:45 +0000] "-" 400 -',
    );
  });

  it("escapes quoted fields as nginx does", () => {
    const evil = 'a"b\\c\r\n\t\x00\x1f\x7f\xe9~ ';
    expect(escapeLogValue(evil)).toBe("a\\x22b\\x5Cc\\x0D\\x0A\\x09\\x00\\x1F\\x7F\\xE9~ ");
    expect(line("combined", { target: '/"x"', userAgent: evil })).toBe(
      '203.0.113.7 - - [02/Dec/2026:06:40:45 +0000] "GET /\\x22x\\x22 HTTP/1.1" 200 1234 "https://example.com/" ' +
        '"a\\x22b\\x5Cc\\x0D\\x0A\\x09\\x00\\x1F\\x7F\\xE9~ "',
    );
  });

  it("writes a char beyond latin-1 as its UTF-8 bytes, a lone surrogate as U+FFFD's", () => {
    expect(escapeLogValue("\u20ac")).toBe("\\xE2\\x82\\xAC");
    expect(escapeLogValue("a\u{1f600}b")).toBe("a\\xF0\\x9F\\x98\\x80b");
    expect(escapeLogValue("\ud800x")).toBe("\\xEF\\xBF\\xBDx");
    expect(escapeLogValue("x\udc00")).toBe("x\\xEF\\xBF\\xBD");
  });

  it("returns a value with nothing to escape as it is", () => {
    const plain = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0";
    expect(escapeLogValue(plain)).toBe(plain);
  });

  it("keeps every line one parseable combined line, whatever the fields hold", () => {
    const COMBINED =
      /^(\S+) - - \[([^\]]+)\] "((?:[^"\\]|\\x[0-9A-F]{2})*)" (\d{3}) (\d+|-) "((?:[^"\\]|\\x[0-9A-F]{2})*)" "((?:[^"\\]|\\x[0-9A-F]{2})*)"$/;
    fc.assert(
      fc.property(latin1, latin1, latin1, latin1, (method, target, referer, userAgent) => {
        const text = line("combined", { method: `M${method}`, target, referer, userAgent });
        const m = COMBINED.exec(text);
        expect(m, text).not.toBeNull();
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expect(unescape(m![3]!)).toBe(`M${method} ${target} HTTP/1.1`);
        expect(unescape(m![6]!)).toBe(referer);
        expect(unescape(m![7]!)).toBe(userAgent);
      }),
    );
  });

  it("writes only printable ASCII for any string at all", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        expect(escapeLogValue(value)).toMatch(/^[\x20-\x7e]*$/);
      }),
    );
  });
});

describe("accessLine: json", () => {
  it("writes every field, in order, with the zone's offset", () => {
    const text = accessLine("json", RECORD, new LogTime("America/New_York"));
    expect(text).toBe(
      '{"time":"2026-12-02T01:40:45.123-05:00","client":"203.0.113.7","method":"GET","target":"/index.html?q=1",' +
        '"protocol":"HTTP/1.1","status":200,"bytes":1234,"referer":"https://example.com/","user_agent":"curl/8.5.0",' +
        '"duration_ms":1.5,"request_id":"1f0c9a3e-1","connection_requests":1,"host":"example.com","scheme":"https"}',
    );
  });

  it("writes null for absent fields, 0 bytes as 0, and HTTP/1.0", () => {
    const parsed = JSON.parse(
      line("json", { referer: null, userAgent: null, host: null, bodyBytes: 0, version: "1.0" }),
    ) as Record<string, unknown>;
    expect(parsed).toMatchObject({ referer: null, user_agent: null, host: null, bytes: 0, protocol: "HTTP/1.0" });
  });

  it("rounds the duration to the microsecond and never writes it negative or NaN", () => {
    const duration = (durationMs: number): unknown =>
      (JSON.parse(line("json", { durationMs })) as { duration_ms: unknown }).duration_ms;
    expect(duration(12.3456789)).toBe(12.346);
    expect(duration(0.0004)).toBe(0);
    expect(duration(-3)).toBe(0);
    expect(duration(Number.NaN)).toBe(0);
    expect(duration(Number.POSITIVE_INFINITY)).toBe(0);
  });

  it("is always one line of valid JSON that gives back the fields", () => {
    fc.assert(
      fc.property(
        anyString,
        anyString,
        fc.option(anyString),
        fc.option(anyString),
        fc.option(anyString),
        (method, target, referer, userAgent, host) => {
          const text = line("json", { method, target, referer, userAgent, host });
          expect(text).not.toMatch(/[\r\n]/);
          const parsed = JSON.parse(text) as Record<string, unknown>;
          // Lone surrogates come back as written (JSON.stringify escapes them as \\uXXXX).
          expect(parsed).toMatchObject({ method, target, referer, user_agent: userAgent, host });
        },
      ),
    );
  });
});

describe("accessLine json: no raw control character from the request (issue 22, finding 12)", () => {
  it("writes DEL and the C1 controls of User-Agent and Referer as \\u007f..\\u009f, as combined writes them as \\xHH", () => {
    const text = line("json", { userAgent: "a\u0085b\u009f\u007f", referer: "\u0080\u009b[31m" });
    expect(text).toContain('"user_agent":"a\\u0085b\\u009f\\u007f"');
    expect(text).toContain('"referer":"\\u0080\\u009b[31m"');
    expect(text).not.toMatch(/[\u007f-\u009f]/);
    expect(JSON.parse(text)).toMatchObject({ user_agent: "a\u0085b\u009f\u007f", referer: "\u0080\u009b[31m" });
    expect(line("combined", { userAgent: "a\u0085b" })).toMatch(/"a\\x85b"$/);
  });

  it("leaves the rest of latin-1 as it was (U+00A0..U+00FF are printable)", () => {
    expect(line("json", { userAgent: "caf\u00e9\u00a0\u00ff" })).toContain('"user_agent":"caf\u00e9\u00a0\u00ff"');
  });

  it("never carries U+007F..U+009F, U+2028 or U+2029, for any values, and gives them back", () => {
    fc.assert(
      fc.property(
        latin1,
        latin1,
        fc.option(latin1),
        fc.option(anyString),
        fc.option(anyString),
        (method, target, referer, userAgent, host) => {
          const text = line("json", { method, target, referer, userAgent, host });
          expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
          expect(JSON.parse(text)).toMatchObject({ method, target, referer, user_agent: userAgent, host });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("LOG_FORMATS", () => {
  it("lists the three formats, and isLogFormat knows exactly those", () => {
    expect(LOG_FORMATS).toEqual(["common", "combined", "json"]);
    for (const f of LOG_FORMATS) expect(isLogFormat(f)).toBe(true);
    expect(isLogFormat("Combined")).toBe(false);
    expect(isLogFormat("")).toBe(false);
  });
});

describe("websocketCloseLine: a WebSocket's close in json", () => {
  it("is the upgrade's fields with the session's duration and bytes, the event, the code and the messages", () => {
    const record = { ...RECORD, status: 101, bodyBytes: 42, durationMs: 2500.25 };
    const parsed = JSON.parse(websocketCloseLine(record, { code: 1001, messagesIn: 3, messagesOut: 4 }, utc));
    expect(parsed).toEqual({
      ...JSON.parse(accessLine("json", record, utc)),
      event: "websocket_close",
      close_code: 1001,
      messages_in: 3,
      messages_out: 4,
    });
    expect(parsed).toMatchObject({ status: 101, bytes: 42, duration_ms: 2500.25 });
  });
});
