/**
 * Plays HTTP/2 conformance cases (h2-cases-*.ts) against a server, the way h2spec does: each
 * case on a connection of its own, the handshake first (unless the case is about the preface),
 * then what the case sends, then the server's answer checked against the outcomes the RFC
 * accepts. An outcome is a value (pass, and what was seen), never an exception.
 */
import type { ErrorCodeName } from "../../src/http2/error.ts";
import { encodePing } from "../../src/http2/frame-writer.ts";
import type { SettingPair } from "../../src/http2/settings.ts";
import { codeName, type H2Event, summarize } from "./h2-events.ts";
import { type H2Client, H2Client as Client, type H2Endpoint, isFrame } from "./h2-raw.ts";

/**
 * The outcomes a case accepts, as h2spec's verifiers put them:
 * - connection-error: a GOAWAY with one of the codes, or the connection closed (§5.4.1: the
 *   GOAWAY SHOULD come first, so its absence is allowed); a GOAWAY with another code fails;
 * - stream-error: a RST_STREAM with one of the codes (on `streamId` when given), or a connection
 *   error with one of them, or the connection closed (§5.4.2: an endpoint may treat a stream
 *   error as a connection error);
 * - closed: the connection closed, a GOAWAY of any code before it or not;
 * - alive: the connection goes on: a PING sent after the case's frames is acknowledged, and no
 *   GOAWAY, RST_STREAM or close came first (what "ignore" means, §4.1, §5.5);
 * - response: a response on `streamId` (a :status, of `status` when given) before any GOAWAY
 *   or close;
 * - check: a check of the case's own, given the client and the index its events start at.
 */
export type Expectation =
  | { readonly kind: "connection-error"; readonly codes: readonly ErrorCodeName[] }
  | { readonly kind: "stream-error"; readonly codes: readonly ErrorCodeName[]; readonly streamId?: number }
  | { readonly kind: "closed" }
  | { readonly kind: "alive" }
  | { readonly kind: "response"; readonly streamId: number; readonly status?: number }
  | {
    readonly kind: "check";
    readonly says: string;
    readonly check: (client: H2Client, from: number) => Promise<string | null>;
  };

export interface H2Case {
  /** The RFC section and a number within it: "6.1/2"; RFC 7541's cases start "hpack ". */
  readonly id: string;
  /** The h2spec-style section it belongs to: "6.1", "hpack 5.2". */
  readonly section: string;
  /** What is sent, in words. */
  readonly title: string;
  /** Our SETTINGS in the handshake (none by default). */
  readonly settings?: readonly SettingPair[];
  /** Connect without the preface and handshake: the case writes the first bytes itself (§3.4). */
  readonly raw?: boolean;
  /** Leave flow control to the case (the client gives back no window by itself). */
  readonly manualWindow?: boolean;
  /** Why the case cannot be made against this server (after the handshake, from its SETTINGS), or null. */
  readonly applies?: (client: H2Client) => string | null;
  /** Writes the case's frames (it may wait on the server between them). */
  readonly send: (client: H2Client) => void | Promise<void>;
  readonly expect: Expectation;
}

/** Where a server strays from the RFC on a case: what it does instead, and why that is pinned. */
export interface Deviation {
  readonly expect: Expectation;
  readonly reason: string;
}

/** What playing a case gave: whether the expectation held, and what the server did. */
export interface CaseOutcome {
  readonly pass: boolean;
  readonly seen: string;
  /** Why the case was not played (applies() said so). */
  readonly notApplicable?: string;
}

/** How long a case waits for its outcome (h2spec waits 2 s by default). */
export const CASE_WAIT_MS = 3000;

/** Plays one case on a new connection; the connection is closed after. */
export async function play(endpoint: H2Endpoint, c: H2Case, expect = c.expect): Promise<CaseOutcome> {
  let client: H2Client | undefined;
  try {
    client = c.raw === true
      ? await Client.connect(endpoint, { preface: false })
      : await Client.open(endpoint, { settings: c.settings, windowUpdates: c.manualWindow !== true });
    const reason = c.applies?.(client) ?? null;
    if (reason !== null) return { pass: true, seen: "", notApplicable: reason };
    const from = client.events.length;
    await c.send(client);
    return await verify(client, from, expect);
  } catch (error) {
    return { pass: false, seen: `the case could not be played: ${(error as Error).message}` };
  } finally {
    client?.destroy();
  }
}

/** Waits for the outcome the expectation names, from event `from` on. */
export async function verify(client: H2Client, from: number, expect: Expectation): Promise<CaseOutcome> {
  const seen = (): string => summarize(client.events.slice(from));
  switch (expect.kind) {
    case "connection-error":
      return decide(client, from, (e) => connectionError(e, expect.codes));
    case "stream-error":
      return decide(client, from, (e) => streamError(e, expect.codes, expect.streamId));
    case "closed":
      return decide(client, from, (e) => e.kind === "closed" ? true : undefined);
    case "alive":
      return alive(client, from);
    case "response":
      return decide(client, from, (e) => response(e, expect.streamId, expect.status));
    case "check": {
      const failure = await expect.check(client, from);
      return { pass: failure === null, seen: failure ?? seen() };
    }
  }
}

/** true: the outcome is accepted; false: it is refused (stop looking); undefined: look further. */
type Decision = boolean | undefined;

async function decide(client: H2Client, from: number, judge: (e: H2Event) => Decision): Promise<CaseOutcome> {
  const verdict = await client.waitFor(
    (e) => {
      const decision = judge(e);
      return decision === undefined ? undefined : { decision };
    },
    CASE_WAIT_MS,
    from,
  );
  const seen = summarize(client.events.slice(from));
  return {
    pass: verdict?.decision === true,
    seen: verdict === null ? `${seen} (then nothing for ${CASE_WAIT_MS} ms)` : seen,
  };
}

function connectionError(e: H2Event, codes: readonly ErrorCodeName[]): Decision {
  if (isFrame(e, "GOAWAY")) return codes.includes(codeName(e.frame.errorCode) as ErrorCodeName);
  return e.kind === "closed" ? true : undefined;
}

function streamError(e: H2Event, codes: readonly ErrorCodeName[], streamId: number | undefined): Decision {
  const known = (code: number): boolean => codes.includes(codeName(code) as ErrorCodeName);
  if (isFrame(e, "RST_STREAM") && (streamId === undefined || e.frame.streamId === streamId)) {
    // §8.1: a server may answer before the request is complete, then reset the rest of it with
    // NO_ERROR (sundial refuses a POST to a file at once); the error still has to come.
    if (codeName(e.frame.errorCode) === "NO_ERROR" && !codes.includes("NO_ERROR")) return undefined;
    return known(e.frame.errorCode);
  }
  if (isFrame(e, "GOAWAY")) return known(e.frame.errorCode);
  return e.kind === "closed" ? true : undefined;
}

function response(e: H2Event, streamId: number, status: number | undefined): Decision {
  if (e.kind === "fields" && e.streamId === streamId && e.promised === undefined) {
    const got = e.fields.find(([name]) => name === ":status")?.[1];
    return status === undefined ? got !== undefined : got === String(status);
  }
  if (isFrame(e, "RST_STREAM") && e.frame.streamId === streamId) return false;
  return isFrame(e, "GOAWAY") || e.kind === "closed" ? false : undefined;
}

/** A PING after the case's frames must come back, with nothing that ends a stream or the connection before it. */
async function alive(client: H2Client, from: number): Promise<CaseOutcome> {
  const data = new Uint8Array([0x68, 0x32, 0x73, 0x75, 0x69, 0x74, 0x65, 0x21]);
  client.send(encodePing(data, false));
  return decide(client, from, (e) => {
    if (isFrame(e, "PING") && e.frame.ack && e.frame.opaqueData.every((b, i) => b === data[i])) return true;
    return isFrame(e, "GOAWAY") || isFrame(e, "RST_STREAM") || e.kind === "closed" ? false : undefined;
  });
}

/** An expectation in words, for test names and failure messages. */
export function describeExpectation(expect: Expectation): string {
  switch (expect.kind) {
    case "connection-error":
      return `connection error ${expect.codes.join("/")} (GOAWAY or close)`;
    case "stream-error":
      return `stream error ${expect.codes.join("/")} (RST_STREAM${
        expect.streamId === undefined ? "" : ` on ${expect.streamId}`
      }, GOAWAY or close)`;
    case "closed":
      return "the connection closed";
    case "alive":
      return "ignored: a PING after it is answered";
    case "response":
      return `a response${expect.status === undefined ? "" : ` ${expect.status}`} on stream ${expect.streamId}`;
    case "check":
      return expect.says;
  }
}
