import { describe, expect, it } from "vitest";
import type { HttpResponse, PullRead } from "../../../../src/http/response.ts";
import { http2Options } from "../../../../src/http2/limits.ts";
import { PrefaceMatcher } from "../../../../src/http2/preface.ts";
import { type Http2Link, Http2Session, type Http2Stream } from "../../../../src/http2/session.ts";
import { FakeFileSystem } from "../../../support/fake-file-system.ts";
import { FakeClock } from "../../../support/fake-ports.ts";
import { type PipeServer, pythonH2Missing, type PythonRequest, runPythonH2 } from "../../../support/python-h2.ts";

const missing = pythonH2Missing();
const bytes = (s: string) => new TextEncoder().encode(s);
const pattern = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 256);
const FILE = pattern(200_000, 5);
const fs = new FakeFileSystem({ "/file": FILE });

/** The app behind the session: a few routes that use every body kind. */
async function answer(stream: Http2Stream): Promise<HttpResponse> {
  const { method, target } = stream.head;
  if (target === "/echo") {
    const pieces: Uint8Array[] = [];
    for (let read = await stream.body!.read(); read.kind === "data"; read = await stream.body!.read()) {
      pieces.push(read.bytes);
    }
    return { status: 200, headers: [["Content-Type", "application/octet-stream"]], body: concat(pieces) };
  }
  if (target === "/big") return { status: 200, headers: [], body: pattern(300_000, 1) };
  if (target === "/file") {
    return {
      status: 200,
      headers: [],
      body: { kind: "file", open: () => fs.open("/file"), start: 0, end: FILE.length },
    };
  }
  if (target === "/pull") {
    const pieces = [bytes("one,"), bytes("two,"), bytes("three")];
    return {
      status: 200,
      headers: [],
      body: {
        kind: "pull",
        length: null,
        read: async (): Promise<PullRead> => {
          const next = pieces.shift();
          return next === undefined ? { kind: "end" } : { kind: "data", bytes: next };
        },
        cancel: () => {},
      },
    };
  }
  if (target === "/none") return { status: 204, headers: [], body: null };
  return { status: method === "HEAD" ? 200 : 200, headers: [["X-Route", "small"]], body: bytes("hello") };
}

function serve(toClient: (bytes: Uint8Array) => void): PipeServer {
  const link: Http2Link = {
    write: (b) => {
      toClient(b.slice());
      return true;
    },
    pause: () => {},
    resume: () => {},
    end: () => {},
    destroy: () => {},
  };
  const session = new Http2Session(link, http2Options(), {
    request: (stream) => {
      void answer(stream).then((response) =>
        stream.respond(response, [["server", "sundial"]], stream.head.method === "HEAD")
      );
    },
    refused: () => {},
    log: () => {},
    closed: () => {},
  }, new FakeClock(0));
  const preface = new PrefaceMatcher();
  let started = false;
  return {
    feed: (chunk) => {
      if (started) return session.feed(chunk);
      const outcome = preface.feed(chunk);
      if (outcome.kind === "not-preface") throw new Error("the client did not send the preface");
      if (outcome.kind === "preface") {
        started = true;
        session.start(outcome.rest);
      }
    },
    ended: () => session.inputEnded(),
  };
}

describe.skipIf(missing !== null)(`Python's h2 as a client of the session ${missing ?? ""}`, () => {
  it("gets every response whole, and finds nothing wrong in what the server sends", async () => {
    const upload = pattern(200_000, 9);
    const requests: PythonRequest[] = [
      { method: "GET", path: "/small" },
      { method: "HEAD", path: "/small" },
      { method: "GET", path: "/big" },
      { method: "POST", path: "/echo", body: upload, headers: [["content-length", String(upload.length)]] },
      { method: "GET", path: "/file" },
      { method: "GET", path: "/pull" },
      { method: "GET", path: "/none" },
      ...Array.from({ length: 10 }, () => ({ method: "GET", path: "/big" })),
    ];
    const run = await runPythonH2(requests, serve);
    expect(run.error).toBeNull();
    const response = (i: number) => run.responses.get(1 + 2 * i)!;
    expect(response(0)).toMatchObject({ status: 200, reset: null });
    expect(new TextDecoder().decode(response(0).body)).toBe("hello");
    expect(response(0).headers).toEqual([["server", "sundial"], ["x-route", "small"], ["content-length", "5"]]);
    expect(response(1)).toMatchObject({ status: 200, body: new Uint8Array(0) });
    expect(response(1).headers).toContainEqual(["content-length", "5"]);
    expect(same(response(2).body, pattern(300_000, 1))).toBe(true);
    expect(same(response(3).body, upload)).toBe(true);
    expect(same(response(4).body, FILE)).toBe(true);
    expect(new TextDecoder().decode(response(5).body)).toBe("one,two,three");
    expect(response(6)).toMatchObject({ status: 204, body: new Uint8Array(0) });
    for (let i = 7; i < 17; i++) expect(same(response(i).body, pattern(300_000, 1))).toBe(true);
  }, 30_000);
});

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
