/**
 * What the differential tests (test/e2e/apps-differential.test.ts) know about the servers:
 * sundial's own faults (KNOWN: each shown by failing cases, `it.fails`), and where a reference
 * server strays from the RFCs (correctReference: its answer corrected to the rule, so that sundial
 * is held to the rule and not to the stray).
 */
import type { Summary } from "./apps-compare.ts";
import type { AppCase } from "./apps-requests.ts";
import type { Runtime } from "./apps-servers.ts";

/** A fault of sundial's. */
export interface Known {
  readonly reason: string;
  readonly runtimes: readonly Runtime[];
  /** The cases that show it: they run as it.fails. */
  readonly shownBy: readonly string[];
  /**
   * The expected summaries as sundial gets them wrong, given sundial's (to touch only what it got
   * wrong); null where the fault changes more than a field can say (another route is taken).
   */
  readonly wrong: ((expected: readonly Summary[], ours: readonly Summary[]) => Summary[]) | null;
}

/**
 * None left. Fixed: HEAD with a null body sent Content-Length: 0 (now none, RFC 9110 §8.6);
 * Bun's hidden Content-Type for text over 1 MiB (now taken for bodies ready within 8 MiB);
 * request.url not in the URL Standard's form (now lower-case host, no default port, dot
 * segments resolved, as new Request() gives).
 */
export const KNOWN: readonly Known[] = [];

/** The fault this case shows on this runtime, if any. */
export function faultShown(runtime: Runtime, testCase: AppCase): Known | undefined {
  return KNOWN.find((known) => known.runtimes.includes(runtime) && known.shownBy.includes(testCase.name));
}

/**
 * The reference's answers corrected where it strays:
 * - Bun.serve sends "application/octet-stream" for a body it finds no type for, so it is not
 *   compared (sundial's value is expected instead). Either the app gave none: RFC 9110 §8.3 lets
 *   a recipient assume that type, it does not ask a server to invent one, and Deno.serve and
 *   @hono/node-server do not. Or Bun's Response hid it: a Response made from another's body
 *   stream and headers (Hono's HTTPException.getResponse(), basicAuth's 401) lacks the
 *   text/plain;charset=UTF-8 the first one's string body had on Bun, which Fetch puts in its
 *   headers (so the copy has it on Node and Deno); sundial sends the body's own type there.
 * - Deno.serve and Bun.serve answer a HEAD whose Response has a null body (Hono answers HEAD that
 *   way) with Content-Length: 0 although the GET has content. RFC 9110 §8.6: a server MUST NOT
 *   send a Content-Length other than the GET's, so none is expected, as @hono/node-server does.
 * - Bun.serve builds request.url from Host for an absolute-form target; the target URI is then
 *   the request-target itself (RFC 9112 §3.3), as Deno.serve and @hono/node-server have it.
 * - Deno.serve leaves request.url unparsed (URL_FORM_CASES): sundial's is taken there, and the
 *   rule tests in apps-differential.test.ts check it against the URL Standard.
 * - Bun.serve reads a chunked body's trailer section (RFC 9112 §7.1.2) as the next request and
 *   answers it 400, closing: only the responses to the requests sent are kept.
 */
/** The cases about request.url's form, which Deno.serve leaves unparsed (the rule tests hold sundial to it). */
const URL_FORM_CASES = new Set([
  "GET /inspect with Host: LOCALHOST (the URL's host is lower case)",
  "GET /inspect with Host: localhost:80 (the default port is not in the URL)",
  "GET /x/../inspect (dot segments resolved)",
]);

export function correctReference(
  runtime: Runtime,
  testCase: AppCase,
  ours: readonly Summary[],
  theirs: readonly Summary[],
): Summary[] {
  // Deno.serve gives request.url as received (host case, :80, dot segments), against Fetch, where
  // a Request's URL is parsed; Node and Bun parse it. On Deno these cases have no reference.
  if (runtime === "deno" && URL_FORM_CASES.has(testCase.name)) return [...ours];
  const kept = runtime === "bun" && testCase.hasTrailer === true ? theirs.slice(0, testCase.responses ?? 1) : theirs;
  return kept.map((summary, i) => {
    let fixed = summary;
    if (runtime === "bun" && ours[i] !== undefined && fixed.headers["content-type"] === "application/octet-stream") {
      fixed = { ...fixed, headers: { ...fixed.headers, "content-type": ours[i]!.headers["content-type"] ?? null } };
    }
    if (runtime !== "node" && testCase.getHasContent === true && fixed.headLength === "0") {
      fixed = { ...fixed, headLength: null };
    }
    if (runtime === "bun" && testCase.absoluteTarget !== undefined) {
      const seen = JSON.parse(fixed.body) as { url: string };
      fixed = { ...fixed, body: JSON.stringify({ ...seen, url: testCase.absoluteTarget }) };
    }
    return fixed;
  });
}
