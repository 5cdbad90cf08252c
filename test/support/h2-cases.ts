/**
 * Every HTTP/2 conformance case (h2-cases-*.ts) and the sections they are grouped by, in the
 * order of RFC 9113 then RFC 7541, as h2spec lists them.
 */
import type { H2Case } from "./h2-case-runner.ts";
import { CONNECTION_CASES } from "./h2-cases-connection.ts";
import { FLOW_CASES } from "./h2-cases-flow.ts";
import { FRAME_CASES } from "./h2-cases-frames.ts";
import { HPACK_CASES } from "./h2-cases-hpack.ts";
import { HTTP_CASES } from "./h2-cases-http.ts";

export const H2_CASES: readonly H2Case[] = [
  ...CONNECTION_CASES,
  ...FRAME_CASES,
  ...FLOW_CASES,
  ...HTTP_CASES,
  ...HPACK_CASES,
];

/** The sections, in order, with what each is about. */
export const H2_SECTIONS: ReadonlyArray<readonly [string, string]> = [
  ["3.5", "HTTP/2 connection preface"],
  ["4.1", "frame format"],
  ["4.2", "frame size"],
  ["4.3", "field section compression and decompression"],
  ["5.1", "stream states"],
  ["5.1.1", "stream identifiers"],
  ["5.1.2", "stream concurrency"],
  ["5.3", "prioritization"],
  ["5.4", "error handling"],
  ["5.5", "extending HTTP/2"],
  ["6.1", "DATA"],
  ["6.2", "HEADERS"],
  ["6.3", "PRIORITY"],
  ["6.4", "RST_STREAM"],
  ["6.5", "SETTINGS"],
  ["6.5.2", "defined settings"],
  ["6.5.3", "settings synchronization"],
  ["6.7", "PING"],
  ["6.8", "GOAWAY"],
  ["6.9", "WINDOW_UPDATE"],
  ["6.9.1", "the flow-control window"],
  ["6.9.2", "initial flow-control window size"],
  ["6.10", "CONTINUATION"],
  ["7", "error codes"],
  ["8.1", "HTTP message framing"],
  ["8.1.1", "malformed messages"],
  ["8.2.1", "field validity"],
  ["8.2.2", "connection-specific header fields"],
  ["8.3", "pseudo-header fields"],
  ["8.3.1", "request pseudo-header fields"],
  ["8.4", "server push"],
  ["8.5", "the CONNECT method"],
  ["hpack 2.3", "RFC 7541: indexing tables"],
  ["hpack 2.3.3", "RFC 7541: index address space"],
  ["hpack 4.2", "RFC 7541: maximum table size"],
  ["hpack 5.1", "RFC 7541: integer representation"],
  ["hpack 5.2", "RFC 7541: string literal representation"],
  ["hpack 6.1", "RFC 7541: indexed field representation"],
  ["hpack 6.2", "RFC 7541: literal field representations"],
  ["hpack 6.3", "RFC 7541: dynamic table size update"],
];
