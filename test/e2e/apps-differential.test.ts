/**
 * Differential tests (issue 14): the Hono example app (examples/hono-app/app.ts) on sundial and on
 * the runtime's own server with the same app (@hono/node-server on Node, Deno.serve, Bun.serve),
 * each in its own child process, get the same raw requests (test/support/apps-requests.ts); their
 * answers must agree on the status, the decoded body, the significant header fields and that the
 * body is delimited (test/support/apps-compare.ts says what is left out, and why).
 *
 * Where sundial is wrong, the fault is in KNOWN (test/support/apps-known.ts) with the cases that
 * show it, which run as `it.fails` (the suite stays green, and a case turns red the day the fault
 * is fixed); where the reference strays from the RFCs, its answer is corrected to the rule there
 * (correctReference), so sundial is held to the rule.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, continueExchange, exchange, type Summary } from "../support/apps-compare.ts";
import { correctReference, faultShown } from "../support/apps-known.ts";
import { HONO_CASES } from "../support/apps-requests.ts";
import { hasResponses, parseResponses } from "../support/http-response-parser.ts";
import { rawExchange } from "../support/raw-client.ts";
import {
  type AppServer,
  bundleNodeLauncher,
  REFERENCE_NAME,
  type Runtime,
  RUNTIMES,
  startApp,
} from "../support/apps-servers.ts";

const URL_RULE: ReadonlyArray<readonly [host: string, target: string, url: string]> = [
  ["LOCALHOST", "/inspect", "http://localhost/inspect"],
  ["localhost:80", "/inspect", "http://localhost/inspect"],
  ["localhost", "/x/../inspect?dots", "http://localhost/inspect?dots"],
];

let bundleDir = "";

beforeAll(() => {
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "sundial-apps-"));
  bundleNodeLauncher(bundleDir);
});

afterAll(() => {
  if (bundleDir !== "") fs.rmSync(bundleDir, { recursive: true, force: true });
});

describe.each(RUNTIMES)("the Hono app on sundial and on the reference server: %s", (runtime) => {
  let sundial: AppServer | null = null;
  let reference: AppServer | null = null;

  beforeAll(async () => {
    [sundial, reference] = await Promise.all([
      startApp({ runtime, bundleDir, app: "hono", server: "sundial" }),
      startApp({ runtime, bundleDir, app: "hono", server: "reference" }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([sundial?.stop(), reference?.stop()]);
  });

  // The rule itself, on sundial alone (Deno.serve does not parse request.url, so on Deno the
  // differential cases cannot show it): a Request's url is its URL serialized (Fetch; the URL
  // Standard lower-cases the host, drops the scheme's default port, resolves dot segments).
  for (const [host, target, url] of URL_RULE) {
    it(`request.url for Host: ${host} and ${target} is ${url}`, async () => {
      const result = await rawExchange(sundial!.port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, {
        until: hasResponses(1),
      });
      const [response] = parseResponses(result.data);
      expect(response?.status).toBe(200);
      expect((JSON.parse(response!.body.toString("utf8")) as { url: string }).url).toBe(url);
    });
  }

  it("POST /echo with Expect: 100-continue, the body sent after 100 Continue (RFC 9110 §10.1.1)", async () => {
    const body = '{"expect":"continue","waited":true}';
    const head =
      `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`;
    const [ours, theirs] = await Promise.all([
      continueExchange(sundial!.port, head, body),
      continueExchange(reference!.port, head, body),
    ]);
    expect({ interim: ours.interim, summaries: ours.summaries }, report(runtime, ours, theirs)).toEqual({
      interim: theirs.interim,
      summaries: theirs.summaries,
    });
    expect(ours.interim).toEqual([[100]]);
  });

  it("an endless event stream ends when the client leaves (the body is cancelled, so the app's loop stops)", async () => {
    const leave = (port: number) =>
      rawExchange(port, "GET /ticks HTTP/1.1\r\nHost: localhost\r\n\r\n", {
        until: (data) => data.includes("data: 2\n\n"),
      });
    const openTicks = async (port: number): Promise<number> =>
      ((await (await fetch(`http://127.0.0.1:${port}/ticks/open`)).json()) as { open: number }).open;
    await Promise.all([leave(sundial!.port), leave(reference!.port)]);
    // A tick every 50 ms: within a few the write after the close fails or the stream is cancelled.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const [ours, theirs] = await Promise.all([openTicks(sundial!.port), openTicks(reference!.port)]);
    expect({ open: ours }, `${REFERENCE_NAME[runtime]} has ${theirs} open`).toEqual({ open: theirs });
    expect(ours).toBe(0);
  });

  it("request.signal aborts when the client leaves before the answer", async () => {
    const aborted = async (port: number): Promise<number> =>
      ((await (await fetch(`http://127.0.0.1:${port}/slow/aborted`)).json()) as { aborted: number }).aborted;
    await Promise.all(
      [sundial!.port, reference!.port].map((port) =>
        rawExchange(port, "GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n", { timeoutMs: 200 })
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [ours, theirs] = await Promise.all([aborted(sundial!.port), aborted(reference!.port)]);
    expect({ aborted: ours }, `${REFERENCE_NAME[runtime]} counted ${theirs}`).toEqual({ aborted: theirs });
    expect(ours).toBe(1);
  });

  for (const testCase of HONO_CASES) {
    const shown = faultShown(runtime, testCase);
    const compare = async (): Promise<{ ours: Answer; theirs: Answer; expected: Summary[] }> => {
      const [ours, theirs] = await Promise.all([
        exchange(sundial!.port, testCase),
        exchange(reference!.port, testCase),
      ]);
      return { ours, theirs, expected: correctReference(runtime, testCase, ours.summaries, theirs.summaries) };
    };
    if (shown === undefined) {
      it(testCase.name, async () => {
        const { ours, theirs, expected } = await compare();
        expect(ours.summaries, report(runtime, ours, theirs)).toEqual(expected);
      });
      continue;
    }
    // Fails while the fault is there. Passes (so it.fails turns red) when it is fixed, and also
    // when anything besides the known difference differs: then the entry must be revisited.
    it.fails(`${testCase.name} (known: ${shown.reason})`, async () => {
      const { ours, theirs, expected } = await compare();
      if (shown.wrong !== null && !isDeepStrictEqual(ours.summaries, shown.wrong(expected, ours.summaries))) {
        console.error(`${runtime}, ${testCase.name}: not only the known difference${report(runtime, ours, theirs)}`);
        return;
      }
      expect(ours.summaries).toEqual(expected);
    });
  }
});

/** Both heads and framings, printed with a difference so it can be reported precisely. */
function report(runtime: Runtime, ours: Answer, theirs: Answer): string {
  const side = (name: string, answer: Answer): string =>
    `${name}:\n${
      answer.heads.map((head, i) => `${head}\n  (framing: ${JSON.stringify(answer.details[i])})`).join("\n")
    }`;
  return `\n${side("sundial", ours)}\n${side(REFERENCE_NAME[runtime], theirs)}\n`;
}
