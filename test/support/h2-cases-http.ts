/**
 * RFC 9113 conformance cases, section 8: HTTP message exchanges (§8.1), malformed messages and
 * content-length (§8.1.1), field names and values (§8.2.1), connection-specific fields and TE
 * (§8.2.2), pseudo-header fields (§8.3, §8.3.1), CONNECT's (§8.5), and a client's PUSH_PROMISE
 * (§8.4). Data for h2-case-runner.ts.
 */
import { encodePushPromise } from "../../src/http2/frame-writer.ts";
import {
  answered,
  connectionError,
  dataFrame,
  END_HEADERS,
  END_STREAM,
  headersFrame,
  malformed,
  requestWith,
  sendPostHeaders,
} from "./h2-case-helpers.ts";
import type { H2Case } from "./h2-case-runner.ts";
import type { Field } from "./h2-events.ts";
import type { H2Client } from "./h2-raw.ts";
import { SITE } from "./h2-servers.ts";

const h = (section: string, n: number, title: string, rest: Omit<H2Case, "id" | "section" | "title">): H2Case => ({
  id: `${section}/${n}`,
  section,
  title,
  ...rest,
});

/** A GET of / whose fields are changed as given (null drops one), extra fields after. */
function getWith(changes: Record<string, string | null>, extra: readonly Field[] = []): (c: H2Client) => void {
  return (c) => void c.send(headersFrame(c, 1, requestWith(c, changes, extra), END_STREAM | END_HEADERS));
}

/** A GET of / with these fields added after the pseudo-header fields (a malformed one among them). */
const getAdding = (...extra: Field[]): (c: H2Client) => void => getWith({}, extra);

/** A GET whose fields are exactly these. */
function getExactly(fields: (c: H2Client) => Field[]): (c: H2Client) => void {
  return (c) => void c.send(headersFrame(c, 1, fields(c), END_STREAM | END_HEADERS));
}

export const HTTP_CASES: readonly H2Case[] = [
  h("8.1", 1, "a GET: the file comes back whole", {
    send: () => {},
    expect: {
      kind: "check",
      says: "200 with index.html's bytes",
      check: async (c) => {
        const response = await c.get(SITE.index, 3000);
        const body = response.body.toString("latin1");
        return response.status === 200 && response.end === "end-stream" && body === SITE.indexBody
          ? null
          : `${response.status} ${response.end} ${JSON.stringify(body.slice(0, 80))}`;
      },
    },
  }),
  h("8.1", 2, "a HEAD: headers and no body", {
    send: () => {},
    expect: {
      kind: "check",
      says: "200, no DATA octets",
      check: async (c) => {
        const id = c.request(SITE.index, { method: "HEAD" });
        const response = await c.response(id, 3000);
        return response.status === 200 && response.end === "end-stream" && response.body.length === 0
          ? null
          : `${response.status} ${response.end} ${response.body.length} octets`;
      },
    },
  }),
  h("8.1", 3, "a POST with DATA, then trailers ending the stream", {
    send: (c) => {
      sendPostHeaders(c, 1);
      c.send(dataFrame(1, "test", false));
      c.send(headersFrame(c, 1, [["x-trailer", "1"]], END_STREAM | END_HEADERS));
    },
    expect: answered(1),
  }),
  h("8.1", 4, "a second HEADERS (trailers) without END_STREAM", {
    send: (c) => {
      sendPostHeaders(c, 1);
      c.send(dataFrame(1, "test", false));
      c.send(headersFrame(c, 1, [["x-trailer", "1"]], END_HEADERS));
    },
    expect: malformed(),
  }),
  h("8.1.1", 1, "content-length 1 with 4 octets of DATA", {
    send: (c) => {
      sendPostHeaders(c, 1, [["content-length", "1"]]);
      c.send(dataFrame(1, "test", true));
    },
    expect: malformed(),
  }),
  h("8.1.1", 2, "content-length 10 with two DATA frames of 4 octets", {
    send: (c) => {
      sendPostHeaders(c, 1, [["content-length", "10"]]);
      c.send(dataFrame(1, "test", false));
      c.send(dataFrame(1, "test", true));
    },
    expect: malformed(),
  }),
  h("8.1.1", 3, "content-length 5 on a GET that ends with its HEADERS", {
    send: getAdding(["content-length", "5"]),
    expect: malformed(),
  }),
  h("8.2.1", 1, "a field name in uppercase", { send: getAdding(["X-Test", "ok"]), expect: malformed() }),
  h("8.2.1", 2, "a field name with a space", { send: getAdding(["x test", "ok"]), expect: malformed() }),
  h("8.2.1", 3, "a field name with a colon inside", { send: getAdding(["x:test", "ok"]), expect: malformed() }),
  h("8.2.1", 4, "a field value with LF", { send: getAdding(["x-test", "a\nb"]), expect: malformed() }),
  h("8.2.1", 5, "a field value with CR", { send: getAdding(["x-test", "a\rb"]), expect: malformed() }),
  h("8.2.1", 6, "a field value with NUL", { send: getAdding(["x-test", "a\0b"]), expect: malformed() }),
  h("8.2.1", 7, "a field value starting with a space", { send: getAdding(["x-test", " ok"]), expect: malformed() }),
  h("8.2.1", 8, "a field value ending with a tab", { send: getAdding(["x-test", "ok\t"]), expect: malformed() }),
  h("8.2.2", 1, "connection: keep-alive", { send: getAdding(["connection", "keep-alive"]), expect: malformed() }),
  h("8.2.2", 2, "keep-alive: timeout=5", { send: getAdding(["keep-alive", "timeout=5"]), expect: malformed() }),
  h("8.2.2", 3, "proxy-connection: keep-alive", {
    send: getAdding(["proxy-connection", "keep-alive"]),
    expect: malformed(),
  }),
  h("8.2.2", 4, "transfer-encoding: chunked", {
    send: getAdding(["transfer-encoding", "chunked"]),
    expect: malformed(),
  }),
  h("8.2.2", 5, "upgrade: h2c", { send: getAdding(["upgrade", "h2c"]), expect: malformed() }),
  h("8.2.2", 6, "te: gzip (only trailers is allowed)", { send: getAdding(["te", "gzip"]), expect: malformed() }),
  h("8.2.2", 7, "te: trailers is allowed", { send: getAdding(["te", "trailers"]), expect: answered(1, 200) }),
  h("8.3", 1, "an unknown pseudo-header field", { send: getAdding([":foo", "bar"]), expect: malformed() }),
  h("8.3", 2, "a response pseudo-header field (:status) in a request", {
    send: getAdding([":status", "200"]),
    expect: malformed(),
  }),
  h("8.3", 3, "a pseudo-header field in trailers", {
    send: (c) => {
      sendPostHeaders(c, 1);
      c.send(dataFrame(1, "test", false));
      c.send(headersFrame(c, 1, [[":method", "POST"]], END_STREAM | END_HEADERS));
    },
    expect: malformed(),
  }),
  h("8.3", 4, "a pseudo-header field after a regular one", {
    send: getExactly((c) => {
      const [method, scheme, authority, path] = c.requestFields();
      return [method!, scheme!, ["x-test", "ok"], authority!, path!];
    }),
    expect: malformed(),
  }),
  h("8.3.1", 1, "an empty :path", { send: getWith({ ":path": "" }), expect: malformed() }),
  h("8.3.1", 2, "no :method", { send: getWith({ ":method": null }), expect: malformed() }),
  h("8.3.1", 3, "no :scheme", { send: getWith({ ":scheme": null }), expect: malformed() }),
  h("8.3.1", 4, "no :path", { send: getWith({ ":path": null }), expect: malformed() }),
  h("8.3.1", 5, ":method twice", { send: getAdding([":method", "GET"]), expect: malformed() }),
  h("8.3.1", 6, ":scheme twice", {
    send: getExactly((c) => [...c.requestFields().slice(0, 2), ...c.requestFields().slice(1)]),
    expect: malformed(),
  }),
  h("8.3.1", 7, ":path twice", {
    send: getAdding([":path", "/"]),
    expect: malformed(),
  }),
  h("8.3.1", 8, "a :path that is not absolute (no leading /)", {
    send: getWith({ ":path": "index.html" }),
    expect: malformed(),
  }),
  h("8.3.1", 9, "no :authority, a host field instead", {
    send: (c) => getWith({ ":authority": null }, [["host", `${c.endpoint.host}:${c.endpoint.port}`]])(c),
    expect: answered(1, 200),
  }),
  h("8.5", 1, "CONNECT with :scheme and :path", {
    send: getWith({ ":method": "CONNECT" }),
    expect: malformed(),
  }),
  h("8.4", 1, "a PUSH_PROMISE from the client", {
    send: (c) => {
      sendPostHeaders(c, 1);
      c.send(encodePushPromise(1, 2, c.encode(c.requestFields()), 16384));
    },
    expect: connectionError("PROTOCOL_ERROR"),
  }),
];
