/**
 * Differential tests (issue 14): the Hono example app (examples/hono-app/app.ts) on sundial and on
 * the runtime's own server with the same app (@hono/node-server on Node, Deno.serve, Bun.serve),
 * each in its own child process, get the same raw requests (test/support/apps-requests.ts); their
 * answers must agree on the status, the decoded body, the significant header fields and that the
 * body is delimited (test/support/apps-compare.ts says what is left out, and why).
 *
 * Where sundial is wrong, the case is listed in KNOWN with the difference and runs as `it.fails`
 * (so the suite stays green and the case turns red the day it is fixed); where the reference
 * is the one that strays from the RFCs, the case is in REFERENCE_DEVIATIONS and sundial's answer
 * is checked against the rule instead.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, exchange, type Summary } from "../support/apps-compare.ts";
import { type AppCase, HONO_CASES } from "../support/apps-requests.ts";
import { type AppServer, bundleNodeLauncher, REFERENCE_NAME, RUNTIMES, type Runtime, startApp } from "../support/apps-servers.ts";

/** A fault of sundial's: what differs, and the expected summary as sundial gets it wrong. */
interface Known {
  readonly reason: string;
  readonly wrong: (expected: Summary) => Summary;
}

/** Bun's Response leaves out the Content-Type a string body gets (Fetch, "extract a body"). */
const BUN_STRING_TYPE: Known = {
  reason:
    "no Content-Type for a string body on Bun: new Response(\"text\").headers lacks text/plain;charset=UTF-8 there, which Bun.serve sends anyway (as sundial does on Node and Deno)",
  wrong: (expected) =>
    expected.headers["content-type"] === "text/plain; charset=utf-8" ? { ...expected, headers: { ...expected.headers, "content-type": null } } : expected,
};

/** RFC 9110 §8.6: Content-Length on HEAD only with the length the GET would have. */
const HEAD_LENGTH: Known = {
  reason: "HEAD: Content-Length: 0 for a Response with a null body (Hono's HEAD) where the GET has content (RFC 9110 §8.6: MUST NOT)",
  wrong: (expected) => ({ ...expected, headLength: "0" }),
};

const HEADS: Readonly<Record<string, Known>> = {
  "HEAD /hello/world": HEAD_LENGTH,
  "HEAD /items": HEAD_LENGTH,
  "HEAD /stream (a streamed body, not sent)": HEAD_LENGTH,
};

/** sundial's own faults, by runtime and case name. */
const KNOWN: Readonly<Record<Runtime, Readonly<Record<string, Known>>>> = {
  node: HEADS,
  deno: HEADS,
  bun: {
    ...HEADS,
    "GET /hello/:name (text from a route parameter)": BUN_STRING_TYPE,
    "GET /hello/:name, percent-encoded UTF-8 parameter": BUN_STRING_TYPE,
    "GET /text (c.text with no other header)": BUN_STRING_TYPE,
    "GET /hello/a%2Fb (an encoded slash stays in the parameter)": BUN_STRING_TYPE,
    "GET /tagged (etag(): an ETag)": BUN_STRING_TYPE,
    "GET /large (2 MiB of text)": BUN_STRING_TYPE,
    // compress() sees no Content-Type there either, so neither server compresses on Bun.
    "GET /large with Accept-Encoding: gzip (2 MiB compressed)": BUN_STRING_TYPE,
    "GET /admin/ with credentials (200)": BUN_STRING_TYPE,
    "two GETs pipelined on one connection": BUN_STRING_TYPE,
    "a POST then a GET pipelined (the body is read before the next request)": BUN_STRING_TYPE,
  },
};

/**
 * Where a reference server strays, its summary is corrected to what the rule asks before
 * comparing (so sundial is held to the rule, not to the stray):
 * - Bun.serve gives a body that has no Content-Type "application/octet-stream" (undone only where
 *   sundial sent none). RFC 9110 §8.3 lets a recipient assume that type; it does not ask a server
 *   to invent one for the app, and Deno.serve and @hono/node-server do not.
 * - Deno.serve and Bun.serve answer a HEAD whose Response has a null body (Hono answers HEAD that
 *   way) with Content-Length: 0 although the GET has content: RFC 9110 §8.6 says a server MUST
 *   NOT send a Content-Length other than the GET's, so no Content-Length is expected there, as
 *   @hono/node-server does.
 * - Bun.serve builds request.url from Host for an absolute-form target; the target URI is the
 *   request-target itself then (RFC 9112 §3.3), as Deno.serve and @hono/node-server have it.
 */
function corrected(runtime: Runtime, testCase: AppCase, ours: Summary | undefined, theirs: Summary): Summary {
  let summary = theirs;
  if (runtime === "bun" && ours?.headers["content-type"] === null && summary.headers["content-type"] === "application/octet-stream") {
    summary = { ...summary, headers: { ...summary.headers, "content-type": null } };
  }
  if (runtime !== "node" && testCase.getHasContent === true && summary.headLength === "0") summary = { ...summary, headLength: null };
  if (runtime === "bun" && testCase.absoluteTarget !== undefined) {
    const seen = JSON.parse(summary.body) as { url: string };
    summary = { ...summary, body: JSON.stringify({ ...seen, url: testCase.absoluteTarget }) };
  }
  return summary;
}

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

  for (const testCase of HONO_CASES) {
    const known = KNOWN[runtime][testCase.name];
    const compare = async (): Promise<{ ours: Answer; theirs: Answer; expected: Summary[] }> => {
      const [ours, theirs] = await Promise.all([exchange(sundial!.port, testCase), exchange(reference!.port, testCase)]);
      return { ours, theirs, expected: theirs.summaries.map((summary, i) => corrected(runtime, testCase, ours.summaries[i], summary)) };
    };
    if (known === undefined) {
      it(testCase.name, async () => {
        const { ours, theirs, expected } = await compare();
        expect(ours.summaries, report(runtime, ours, theirs)).toEqual(expected);
      });
      continue;
    }
    // Fails while the fault is there. Passes (so it.fails turns red) when the fault is fixed, and
    // also when anything besides the known difference differs: then the entry must be revisited.
    it.fails(`${testCase.name} (known: ${known.reason})`, async () => {
      const { ours, theirs, expected } = await compare();
      if (!isDeepStrictEqual(ours.summaries, expected.map(known.wrong))) {
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
    `${name}:\n${answer.heads.map((head, i) => `${head}\n  (framing: ${JSON.stringify(answer.details[i])})`).join("\n")}`;
  return `\n${side("sundial", ours)}\n${side(REFERENCE_NAME[runtime], theirs)}\n`;
}
