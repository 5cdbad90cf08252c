/**
 * The WebSocket conformance cases (test/e2e/parts/websocket-conformance-tests.ts), organised as
 * the Autobahn testsuite's case groups, as data: what a raw client writes and what an echo
 * server must answer by RFC 6455 (the messages echoed, the pongs, the close code it ends with).
 * The runner (websocket-case-runner.ts) plays them against sundial, Bun.serve or Deno's server.
 */
import { clientFrame, closeBody } from "./websocket-frames.ts";
import { concat } from "./byte-pieces.ts";

/** The parts as one array (the case files' name for it). */
export { concat as concatAll };

/** What a case's server must do: echo these messages, answer these pongs, end with this close code (null: an empty close). */
export interface Expected {
  readonly messages: readonly string[];
  readonly pongs?: readonly string[];
  readonly close: number | null;
  /** The 101's Sec-WebSocket-Extensions (null: none); unchecked when absent. */
  readonly extensions?: string | null;
}

export interface WsCase {
  /** Autobahn-style: group.case (the group's numbers follow Autobahn's, the cases are ours). */
  readonly id: string;
  readonly title: string;
  /** The writes, in order; each its own TCP write (with a turn of the event loop between them when `gap`). */
  readonly writes: () => Uint8Array[] | Promise<Uint8Array[]>;
  readonly expect: Expected;
  readonly gap?: boolean;
  /** Send a close (1000) after the writes (default true: an echo case ends with the server's close echo). */
  readonly closeAfter?: boolean;
  /** The echo path (/echo by default) and the Sec-WebSocket-Extensions offered (none by default). */
  readonly path?: string;
  readonly extensions?: string;
}

const encoder = new TextEncoder();

/** A message as the summary names it: t:text, or b: its length and first bytes (long ones by length and a checksum). */
export function messageKey(opcode: number, data: Uint8Array): string {
  if (opcode === 0x1 && data.length <= 160) return `t:${new TextDecoder().decode(data)}`;
  let sum = 0;
  for (const byte of data) sum = (sum * 31 + byte) >>> 0;
  return `${opcode === 0x1 ? "t" : "b"}:${data.length}:${sum.toString(16)}`;
}

export const text = (s: string): string => messageKey(0x1, encoder.encode(s));
export const binary = (b: Uint8Array): string => messageKey(0x2, b);

/** Bytes 0, 1, 2, ... (mod 256) of a length. */
export function pattern(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

/** Text of a length, all "*". */
export const stars = (length: number): string => "*".repeat(length);

const SIZES = [0, 125, 126, 127, 128, 65535, 65536];

/** 1 Framing: text and binary of the sizes where the length forms change, whole and in small writes. */
function framing(): WsCase[] {
  const cases: WsCase[] = [];
  SIZES.forEach((size, i) => {
    cases.push({
      id: `1.1.${i + 1}`,
      title: `text of ${size} bytes`,
      writes: () => [clientFrame(0x1, stars(size))],
      expect: { messages: [text(stars(size))], close: 1000 },
    });
    cases.push({
      id: `1.2.${i + 1}`,
      title: `binary of ${size} bytes`,
      writes: () => [clientFrame(0x2, pattern(size))],
      expect: { messages: [binary(pattern(size))], close: 1000 },
    });
    cases.push({
      id: `1.3.${i + 1}`,
      title: `binary of ${size} bytes, its first 16 bytes one write each, then 997-byte writes`,
      writes: () => chops(clientFrame(0x2, pattern(size, 3))),
      gap: true,
      expect: { messages: [binary(pattern(size, 3))], close: 1000 },
    });
  });
  cases.push({
    id: "1.4.1",
    title: "a 130-byte text split in two writes at every byte boundary (137 messages)",
    writes: () => everySplit(130),
    gap: true,
    expect: { messages: Array.from({ length: 137 }, (_, k) => text(`${k}`.padEnd(130, "."))), close: 1000 },
  });
  return cases;
}

/** A frame's bytes: one write per byte for the first 16 (every header boundary), then 997 at a time. */
export function chops(frame: Uint8Array): Uint8Array[] {
  const writes: Uint8Array[] = [];
  for (let i = 0; i < Math.min(16, frame.length); i++) writes.push(frame.subarray(i, i + 1));
  for (let i = 16; i < frame.length; i += 997) writes.push(frame.subarray(i, i + 997));
  return writes;
}

/** The same-size message, k-th one split after byte k of its frame (every boundary of a 136-byte frame). */
function everySplit(size: number): Uint8Array[] {
  const writes: Uint8Array[] = [];
  const frameLength = clientFrame(0x1, stars(size)).length;
  for (let k = 1; k < frameLength; k++) {
    const frame = clientFrame(0x1, `${k - 1}`.padEnd(size, "."));
    writes.push(frame.subarray(0, k), frame.subarray(k));
  }
  return writes;
}

const hex = (bytes: Uint8Array): string => `p:${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;

/** 2 Pings and pongs (§5.5.2, §5.5.3). */
function pings(): WsCase[] {
  const sized = [0, 1, 64, 125].map((n, i): WsCase => ({
    id: `2.1.${i + 1}`,
    title: `a ping of ${n} bytes: a pong with the same payload`,
    writes: () => [clientFrame(0x9, pattern(n))],
    expect: { messages: [], pongs: [hex(pattern(n))], close: 1000 },
  }));
  return [
    ...sized,
    {
      id: "2.2",
      title: "a ping of 126 bytes: 1002 (§5.5)",
      writes: () => [clientFrame(0x9, pattern(126))],
      expect: { messages: [], close: 1002 },
    },
    {
      id: "2.3",
      title: "an unsolicited pong is ignored",
      writes: () => [clientFrame(0xa, "unasked"), clientFrame(0x1, "after")],
      expect: { messages: [text("after")], close: 1000 },
    },
    {
      id: "2.4",
      title: "ten pings in a row: ten pongs, in order",
      writes: () => [concat(Array.from({ length: 10 }, (_, i) => clientFrame(0x9, `ping ${i}`)))],
      expect: {
        messages: [],
        pongs: Array.from({ length: 10 }, (_, i) => hex(encoder.encode(`ping ${i}`))),
        close: 1000,
      },
    },
    {
      id: "2.5",
      title: "a ping between a message's fragments: the pong, then the message",
      writes: () => [clientFrame(0x1, "frag", { fin: false }), clientFrame(0x9, "in"), clientFrame(0x0, "ment")],
      expect: { messages: [text("fragment")], pongs: [hex(encoder.encode("in"))], close: 1000 },
    },
  ];
}

/** 3 Reserved bits without an extension (§5.2): 1002, after what came before is echoed. */
function reservedBits(): WsCase[] {
  const cases: WsCase[] = [];
  let n = 0;
  for (const rsv of [4, 2, 1, 7]) {
    for (const [opcode, payload] of [[0x1, "text"], [0x2, "bin"], [0x9, "ping"], [0x8, ""]] as const) {
      cases.push({
        id: `3.${++n}`,
        title: `RSV ${rsv.toString(2).padStart(3, "0")} on opcode ${opcode}, after an echo: 1002`,
        writes: () => [clientFrame(0x1, "first"), clientFrame(opcode, payload, { rsv })],
        expect: { messages: [text("first")], close: 1002 },
      });
    }
  }
  return cases;
}

/** 4 Reserved opcodes (§5.2): 1002, with and without a payload, after an echo. */
function opcodes(): WsCase[] {
  return [3, 4, 5, 6, 7, 11, 12, 13, 14, 15].flatMap((opcode, i): WsCase[] => [
    {
      id: `4.1.${i + 1}`,
      title: `opcode ${opcode}, empty: 1002`,
      writes: () => [clientFrame(opcode, "")],
      expect: { messages: [], close: 1002 },
    },
    {
      id: `4.2.${i + 1}`,
      title: `opcode ${opcode} with a payload, after an echo: 1002`,
      writes: () => [clientFrame(0x1, "first"), clientFrame(opcode, "reserved")],
      expect: { messages: [text("first")], close: 1002 },
    },
  ]);
}

/** 5 Fragmentation (§5.4). */
function fragmentation(): WsCase[] {
  const many = Array.from({ length: 1000 }, (_, i) => clientFrame(i === 0 ? 0x1 : 0x0, "f", { fin: i === 999 }));
  return [
    {
      id: "5.1",
      title: "a continuation with nothing to continue: 1002",
      writes: () => [clientFrame(0x0, "lost")],
      expect: { messages: [], close: 1002 },
    },
    {
      id: "5.2",
      title: "a new text inside a fragmented one: 1002",
      writes: () => [clientFrame(0x1, "one", { fin: false }), clientFrame(0x1, "two")],
      expect: { messages: [], close: 1002 },
    },
    {
      id: "5.3",
      title: "a fragmented ping: 1002 (§5.5)",
      writes: () => [clientFrame(0x9, "pi", { fin: false }), clientFrame(0x0, "ng")],
      expect: { messages: [], close: 1002 },
    },
    {
      id: "5.4",
      title: "a fragmented close: 1002",
      writes: () => [clientFrame(0x8, closeBody(1000).subarray(0, 1), { fin: false })],
      expect: { messages: [], close: 1002 },
    },
    {
      id: "5.5",
      title: "1,000 fragments of one byte: one message",
      writes: () => [concat(many)],
      expect: { messages: [text("f".repeat(1000))], close: 1000 },
    },
    {
      id: "5.6",
      title: "fragments with empty ones and pings between, in separate writes",
      writes: () => [
        clientFrame(0x2, new Uint8Array(0), { fin: false }),
        clientFrame(0x9, "a"),
        clientFrame(0x0, pattern(5), { fin: false }),
        clientFrame(0x9, "b"),
        clientFrame(0x0, new Uint8Array(0)),
      ],
      gap: true,
      expect: {
        messages: [binary(pattern(5))],
        pongs: [hex(encoder.encode("a")), hex(encoder.encode("b"))],
        close: 1000,
      },
    },
    {
      id: "5.7",
      title: "a continuation after a whole message: 1002",
      writes: () => [clientFrame(0x1, "whole"), clientFrame(0x0, "more")],
      expect: { messages: [text("whole")], close: 1002 },
    },
  ];
}

export const ALL_CASES: readonly WsCase[] = [
  ...framing(),
  ...pings(),
  ...reservedBits(),
  ...opcodes(),
  ...fragmentation(),
];
