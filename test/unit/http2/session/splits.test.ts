import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { text } from "../../../support/h2-test-client.ts";
import { harness } from "../session-harness.ts";

const POST: Array<[string, string]> = [[":method", "POST"], [":scheme", "https"], [":authority", "a"], [
  ":path",
  "/echo",
]];

/** One exchange of every kind of input: what the app saw and what the client got. */
async function exchange(split?: (bytes: Uint8Array) => Uint8Array[]) {
  const seen: string[] = [];
  const h = harness({
    split,
    app: (s) => {
      void (async () => {
        const parts: string[] = [];
        if (s.body !== null) {
          for (let read = await s.body.read(); read.kind === "data"; read = await s.body.read()) {
            parts.push(text(read.bytes));
          }
        }
        seen.push(`${s.id} ${s.head.method} ${s.head.target} ${JSON.stringify(s.head.headers)} ${parts.join("")}`);
        s.respond(
          { status: 200, headers: [], body: new TextEncoder().encode(parts.join("").toUpperCase()) },
          [],
          false,
        );
      })();
    },
  });
  h.connect();
  h.client.ping(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  h.client.headers(1, [...POST, ["x-long", "v".repeat(300)], ["cookie", "a=1"], ["cookie", "b=2"]], {
    endStream: false,
  });
  h.client.data(1, "hello ", { padding: 10 });
  h.client.data(1, "world");
  h.client.headers(1, [["x-trailer", "t"]]);
  h.client.request(3, { method: "GET", path: "/g" });
  const block = h.client.block([...POST, ["x-cont", "c".repeat(50)]]);
  h.client.headersFrame(5, block.subarray(0, 10), 0);
  h.client.continuation(5, block.subarray(10, 40), false);
  h.client.continuation(5, block.subarray(40), true);
  h.client.data(5, "abc", { endStream: true });
  h.pump();
  await h.settle(10);
  const responses = [1, 3, 5].map((id) => `${h.client.response(id).status} ${text(h.client.response(id).body)}`);
  const ping = [...(h.client.framesOf("PING")[0]?.opaqueData ?? [])];
  return { seen: seen.sort(), responses, ping, goaway: h.client.serverGoaway, resets: [...h.client.resets()] };
}

describe("input cut anywhere (the session keeps no view of a piece past its call)", () => {
  it("reads the same, byte by byte", async () => {
    const whole = await exchange();
    expect(whole.goaway).toBeNull();
    expect(whole.resets).toEqual([]);
    expect(whole.responses).toEqual(["200 HELLO WORLD", "200 ", "200 ABC"]);
    expect(whole.ping).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const bytes = await exchange((b) => Array.from(b, (x) => Uint8Array.of(x)));
    expect(bytes).toEqual(whole);
  });

  it("reads the same at random cuts (fast-check)", async () => {
    const whole = await exchange();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }), async (cuts) => {
        const split = (b: Uint8Array) => {
          const pieces: Uint8Array[] = [];
          let at = 0;
          for (let i = 0; at < b.length; i++) {
            const n = cuts[i % cuts.length]!;
            pieces.push(b.subarray(at, at + n));
            at += n;
          }
          return pieces;
        };
        expect(await exchange(split)).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });
});
