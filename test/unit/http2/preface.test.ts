import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLIENT_PREFACE, PrefaceMatcher, type PrefaceOutcome } from "../../../src/http2/preface.ts";
import { bytewise, concat, splitAt } from "./reading.ts";

const ascii = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Feeds pieces until the matcher decides; the decision, and after how many pieces. */
function decide(pieces: readonly Uint8Array[]): { outcome: PrefaceOutcome; pieces: number } {
  const matcher = new PrefaceMatcher();
  let outcome: PrefaceOutcome = { kind: "incomplete" };
  let count = 0;
  for (const piece of pieces) {
    count++;
    outcome = matcher.feed(piece);
    if (outcome.kind !== "incomplete") break;
  }
  return { outcome, pieces: count };
}

describe("PrefaceMatcher (RFC 9113 §3.4)", () => {
  it("is the 24 bytes of the RFC", () => {
    expect(text(CLIENT_PREFACE)).toBe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    expect(CLIENT_PREFACE).toHaveLength(24);
  });

  it("finds the preface, the bytes after it handed on as the first frames", () => {
    const frames = Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0, 0);
    const { outcome } = decide([concat([CLIENT_PREFACE, frames])]);
    expect(outcome).toEqual({ kind: "preface", rest: frames });
    expect(decide([CLIENT_PREFACE]).outcome).toEqual({ kind: "preface", rest: new Uint8Array(0) });
  });

  it("waits while the bytes so far are the preface's first bytes, cut anywhere", () => {
    const input = concat([CLIENT_PREFACE, ascii("xyz")]);
    for (let at = 0; at <= input.length; at++) {
      const matcher = new PrefaceMatcher();
      const [a, b] = splitAt(input, [at]);
      const first = matcher.feed(a!);
      if (at < 24) expect(first).toEqual({ kind: "incomplete" });
      const outcome = at < 24 ? matcher.feed(b!) : first;
      expect(outcome.kind === "preface" && text(outcome.rest)).toBe(at < 24 ? "xyz" : text(input.subarray(24, at)));
    }
    expect(decide(bytewise(CLIENT_PREFACE))).toEqual({
      outcome: { kind: "preface", rest: new Uint8Array(0) },
      pieces: 24,
    });
  });

  it("answers not-preface at an HTTP/1.1 request's first byte, with that byte", () => {
    const { outcome, pieces } = decide(bytewise(ascii("GET / HTTP/1.1\r\n\r\n")));
    expect(pieces).toBe(1);
    expect(outcome.kind === "not-preface" && text(outcome.bytes)).toBe("G");
  });

  it("answers at the first byte that differs, with every byte received so far", () => {
    const request = ascii("PRI * HTTP/1.1\r\n\r\n");
    const { outcome, pieces } = decide(bytewise(request));
    expect(pieces).toBe(12); // "PRI * HTTP/1" differs from "PRI * HTTP/2" at the 12th byte
    expect(outcome.kind === "not-preface" && text(outcome.bytes)).toBe("PRI * HTTP/1");
  });

  it("hands every later piece to whichever protocol it decided on", () => {
    const matcher = new PrefaceMatcher();
    matcher.feed(ascii("GET"));
    expect(matcher.feed(ascii(" /"))).toEqual({ kind: "not-preface", bytes: ascii(" /") });
    const h2 = new PrefaceMatcher();
    h2.feed(CLIENT_PREFACE);
    expect(h2.feed(Uint8Array.of(1))).toEqual({ kind: "preface", rest: Uint8Array.of(1) });
  });

  it("for any input and any cuts: preface, not-preface with the whole input so far, or still incomplete", () => {
    const prefixed = fc
      .tuple(fc.integer({ min: 0, max: 24 }), fc.uint8Array({ maxLength: 40 }))
      .map(([n, tail]) => concat([CLIENT_PREFACE.subarray(0, n), tail]));
    fc.assert(
      fc.property(prefixed, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const pieces = splitAt(input, cuts);
        const { outcome, pieces: used } = decide(pieces);
        const seen = concat(pieces.slice(0, used));
        const differs = [...CLIENT_PREFACE].findIndex((b, i) => i >= input.length || input[i] !== b);
        if (differs === -1) {
          expect(outcome).toEqual({ kind: "preface", rest: seen.subarray(24) });
        } else if (differs >= input.length) {
          expect(outcome).toEqual({ kind: "incomplete" });
        } else {
          expect(outcome).toEqual({ kind: "not-preface", bytes: seen });
          expect(seen.length - pieces[used - 1]!.length).toBeLessThanOrEqual(differs);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
