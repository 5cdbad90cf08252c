/**
 * The conformance cases of Autobahn's groups 6 (UTF-8), 7 (close) and 9 (limits), as data
 * (websocket-cases.ts has the shape and groups 1-5).
 */
import { clientFrame, closeBody } from "./websocket-frames.ts";
import { binary, concatAll, pattern, stars, text, type WsCase } from "./websocket-cases.ts";

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const encoder = new TextEncoder();

/** Well-formed UTF-8 at the edges of each sequence length (Autobahn 6.2-6.3, 6.5-6.7, 6.10). */
const VALID: ReadonlyArray<readonly [string, string]> = [
  ["κόσμε", "Autobahn's kosme"],
  ["\u0000\u007f", "U+0000 and U+007F (1 byte)"],
  ["\u0080\u07ff", "U+0080 and U+07FF (2 bytes)"],
  ["\u0800\ud7ff\ue000\uffff", "U+0800, U+D7FF, U+E000, U+FFFF (3 bytes, around the surrogates)"],
  ["\u{10000}\u{10ffff}", "U+10000 and U+10FFFF (4 bytes)"],
  ["\ufffd\ufeff", "U+FFFD and a BOM"],
];

/** Ill-formed sequences (Autobahn 6.3-6.4, 6.6, 6.8-6.9, 6.11-6.21). */
const INVALID: ReadonlyArray<readonly [Uint8Array, string]> = [
  [bytes(0xc0, 0xaf), "overlong '/' in 2 bytes"],
  [bytes(0xe0, 0x80, 0xaf), "overlong '/' in 3 bytes"],
  [bytes(0xf0, 0x80, 0x80, 0xaf), "overlong '/' in 4 bytes"],
  [bytes(0xc1, 0xbf), "overlong U+007F"],
  [bytes(0xed, 0xa0, 0x80), "a high surrogate, U+D800"],
  [bytes(0xed, 0xbf, 0xbf), "a low surrogate, U+DFFF"],
  [bytes(0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80), "a surrogate pair, CESU-8"],
  [bytes(0xf4, 0x90, 0x80, 0x80), "U+110000, past U+10FFFF"],
  [bytes(0xf5, 0x80, 0x80, 0x80), "a lead byte F5"],
  [bytes(0xf8, 0x88, 0x80, 0x80, 0x80), "a 5-byte sequence"],
  [bytes(0xfe), "FE"],
  [bytes(0xff), "FF"],
  [bytes(0x80), "a lone continuation byte"],
  [bytes(0xce, 0xba, 0xe1, 0xbd), "κ then a truncated sequence at the message's end"],
  [bytes(0xe2, 0x82), "a truncated 3-byte sequence at the end"],
  [bytes(0x61, 0xc3, 0x28), "a 2-byte lead before an ASCII byte"],
];

/** 6 UTF-8 (§8.1): valid text echoed whole and across fragments split anywhere, invalid text 1007. */
function utf8(): WsCase[] {
  const cases: WsCase[] = VALID.map(([s, title], i) => ({
    id: `6.1.${i + 1}`,
    title: `valid: ${title}`,
    writes: () => [clientFrame(0x1, s)],
    expect: { messages: [text(s)], close: 1000 },
  }));
  const kosme = encoder.encode("κόσμε");
  cases.push({
    id: "6.2.1",
    title: "κόσμε in two fragments split at every byte",
    writes: () =>
      Array.from({ length: kosme.length - 1 }, (_, k) =>
        concatAll([
          clientFrame(0x1, kosme.subarray(0, k + 1), { fin: false }),
          clientFrame(0x0, kosme.subarray(k + 1)),
        ])),
    expect: { messages: Array.from({ length: kosme.length - 1 }, () => text("κόσμε")), close: 1000 },
  });
  INVALID.forEach(([payload, title], i) => {
    cases.push({
      id: `6.3.${i + 1}`,
      title: `invalid: ${title}: 1007`,
      writes: () => [clientFrame(0x1, payload)],
      expect: { messages: [], close: 1007 },
    });
    cases.push({
      id: `6.4.${i + 1}`,
      title: `invalid across fragments: ${title}: 1007`,
      writes: () => [
        clientFrame(0x1, concatAll([encoder.encode("ok "), payload.subarray(0, 1)]), { fin: false }),
        clientFrame(0x0, payload.subarray(1)),
      ],
      gap: true,
      expect: { messages: [], close: 1007 },
    });
  });
  cases.push({
    id: "6.5.1",
    title: "fail fast: an invalid byte at the start of a 1,000-byte frame whose rest never comes: 1007",
    writes: () => [clientFrame(0x1, concatAll([bytes(0xc0, 0xaf), pattern(998)])).subarray(0, 20)],
    closeAfter: false,
    expect: { messages: [], close: 1007 },
  });
  cases.push({
    id: "6.5.2",
    title: "fail fast: an invalid fragment of a message that never ends: 1007",
    writes: () => [clientFrame(0x1, "fine", { fin: false }), clientFrame(0x0, bytes(0xed, 0xa0, 0x80), { fin: false })],
    closeAfter: false,
    expect: { messages: [], close: 1007 },
  });
  return cases;
}

const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];

/** 7 Close (§5.5.1, §7.4). */
function close(): WsCase[] {
  const cases: WsCase[] = [
    {
      id: "7.1.1",
      title: "an empty close: an empty close back",
      writes: () => [clientFrame(0x8, new Uint8Array(0))],
      closeAfter: false,
      expect: { messages: [], close: null },
    },
    {
      id: "7.1.2",
      title: "data after the close is ignored",
      writes: () => [concatAll([clientFrame(0x8, closeBody(1000)), clientFrame(0x1, "too late")])],
      closeAfter: false,
      expect: { messages: [], close: 1000 },
    },
    {
      id: "7.1.3",
      title: "a close after a close: the first is answered",
      writes: () => [concatAll([clientFrame(0x8, closeBody(4001)), clientFrame(0x8, closeBody(4002))])],
      closeAfter: false,
      expect: { messages: [], close: 4001 },
    },
    {
      id: "7.1.4",
      title: "a message, then the close: the echo first",
      writes: () => [concatAll([clientFrame(0x1, "last"), clientFrame(0x8, closeBody(1000))])],
      closeAfter: false,
      expect: { messages: [text("last")], close: 1000 },
    },
    {
      id: "7.1.5",
      title: "a close in the middle of a fragmented message: answered",
      writes: () => [clientFrame(0x1, "half", { fin: false }), clientFrame(0x8, closeBody(1000))],
      closeAfter: false,
      expect: { messages: [], close: 1000 },
    },
    {
      id: "7.2.1",
      title: "a close with a 1-byte payload: 1002",
      writes: () => [clientFrame(0x8, bytes(0x03))],
      closeAfter: false,
      expect: { messages: [], close: 1002 },
    },
    {
      id: "7.2.2",
      title: "a close with a reason of 123 bytes: echoed",
      writes: () => [clientFrame(0x8, closeBody(1000, stars(123)))],
      closeAfter: false,
      expect: { messages: [], close: 1000 },
    },
    {
      id: "7.2.3",
      title: "a close reason that is not UTF-8: 1007",
      writes: () => [clientFrame(0x8, concatAll([closeBody(1000), bytes(0xce, 0xba, 0xed, 0xa0, 0x80)]))],
      closeAfter: false,
      expect: { messages: [], close: 1007 },
    },
  ];
  VALID_CODES.forEach((code, i) =>
    cases.push({
      id: `7.3.${i + 1}`,
      title: `close code ${code}: echoed`,
      writes: () => [clientFrame(0x8, closeBody(code))],
      closeAfter: false,
      expect: { messages: [], close: code },
    })
  );
  INVALID_CODES.forEach((code, i) =>
    cases.push({
      id: `7.4.${i + 1}`,
      title: `close code ${code}: 1002`,
      writes: () => [clientFrame(0x8, closeBody(code))],
      closeAfter: false,
      expect: { messages: [], close: 1002 },
    })
  );
  return cases;
}

/** The echo app's maxPayloadLength (test/fixtures/apps/websocket-conformance-app.mjs). */
export const MAX_PAYLOAD = 1024 * 1024;

/** 9 Limits: messages at maxPayloadLength, in writes of 64 KiB; one byte more is 1009 (§7.4.1). */
function limits(): WsCase[] {
  const whole = pattern(MAX_PAYLOAD);
  const half = MAX_PAYLOAD / 2;
  return [
    {
      id: "9.1",
      title: "a binary message of maxPayloadLength: echoed",
      writes: () => slices(clientFrame(0x2, whole), 64 * 1024),
      expect: { messages: [binary(whole)], close: 1000 },
    },
    {
      id: "9.2",
      title: "a text of maxPayloadLength in 256 fragments: echoed",
      writes: () => [
        concatAll(Array.from({ length: 256 }, (_, i) => clientFrame(i ? 0 : 1, stars(4096), { fin: i === 255 }))),
      ],
      expect: { messages: [text(stars(MAX_PAYLOAD))], close: 1000 },
    },
    {
      id: "9.3",
      title: "a frame of maxPayloadLength + 1: 1009 as its header arrives",
      writes: () => [clientFrame(0x2, new Uint8Array(0), { announcedLength: MAX_PAYLOAD + 1 })],
      closeAfter: false,
      expect: { messages: [], close: 1009 },
    },
    {
      id: "9.4",
      title: "fragments adding up to maxPayloadLength + 1: 1009",
      writes: () => [
        clientFrame(0x2, whole.subarray(0, half), { fin: false }),
        clientFrame(0x0, new Uint8Array(half + 1)),
      ],
      expect: { messages: [], close: 1009 },
    },
  ];
}

function slices(frame: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < frame.length; i += size) out.push(frame.subarray(i, i + size));
  return out;
}

export const TEXT_CASES: readonly WsCase[] = [...utf8(), ...close(), ...limits()];
