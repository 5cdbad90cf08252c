/** Sessions and bodies for the response tests. */
import type { FileBody, HttpResponse, PullBody, PullRead } from "../../../src/http/response.ts";
import type { FakeFileSystem } from "../../support/fake-file-system.ts";
import { SETTING } from "../../support/h2-test-client.ts";
import { type Harness, harness } from "./session-harness.ts";

export const bytes = (s: string) => new TextEncoder().encode(s);

/** A session whose peer opened its windows wide, answering each request with respond(stream). */
export function wide(respond: (id: number) => HttpResponse, isHead = false): Harness {
  const h = harness({ app: (s) => s.respond(respond(s.id), [["date", "d"]], isHead) });
  h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 2 ** 31 - 1 }]);
  h.client.windowUpdate(0, 2 ** 31 - 1 - 65535);
  h.pump();
  return h;
}

/**
 * Requests on a wide-open session whose link takes one write at a time (write() says false each
 * time, the client reads at each pump): the responses are all given while the link is full, so
 * what goes out after shows the scheduler's order.
 */
export function blockedWide(respond: (id: number) => HttpResponse, ids: number[]): Harness {
  const h = harness({ highWaterMark: 0 });
  h.connect([{ id: SETTING.INITIAL_WINDOW_SIZE, value: 2 ** 31 - 1 }]);
  h.client.windowUpdate(0, 2 ** 31 - 1 - 65535);
  for (const id of ids) h.client.request(id);
  h.pump();
  h.reading = false;
  h.client.ping(); // its ACK fills the link
  h.pump();
  for (const stream of h.requests) stream.respond(respond(stream.id), [], false);
  h.reading = true;
  h.pump();
  return h;
}

export function file(fs: FakeFileSystem, path: string, start: number, end: number): FileBody {
  return { kind: "file", open: () => fs.open(path), start, end };
}

/** A pulled body giving the pieces, then the end (or a failure). */
export function pulled(pieces: Uint8Array[], length: number | null, fail?: string): PullBody & { cancelled: boolean } {
  const queue = [...pieces];
  const body = {
    kind: "pull" as const,
    length,
    cancelled: false,
    read: async (): Promise<PullRead> => {
      await Promise.resolve();
      const next = queue.shift();
      if (next !== undefined) return { kind: "data", bytes: next };
      return fail === undefined ? { kind: "end" } : { kind: "failed", error: new Error(fail) };
    },
    cancel: () => (body.cancelled = true),
  };
  return body;
}
