/**
 * The conformance cases of Autobahn's groups 12 and 13 (permessage-deflate, RFC 7692), as data
 * (websocket-cases.ts has the shape). The client compresses with node:zlib's one-shot raw
 * deflate; its context takeover is a preset dictionary of what it sent before (what the
 * server's inflater has in its window), so the client side shares no code with the server's.
 */
import * as zlib from "node:zlib";
import { clientFrame } from "./websocket-frames.ts";
import { binary, concatAll, pattern, text, type WsCase } from "./websocket-cases.ts";
import { MAX_PAYLOAD } from "./websocket-cases-text.ts";

const encoder = new TextEncoder();

/** A client's compressor: each message with a sync flush, its 00 00 ff ff removed (§7.2.1); `takeover` keeps a window. */
export class ClientDeflate {
  private history = new Uint8Array(0);
  constructor(private readonly takeover: boolean) {}

  compress(message: Uint8Array | string): Uint8Array {
    const data = typeof message === "string" ? encoder.encode(message) : message;
    const options: zlib.ZlibOptions = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (this.takeover && this.history.length > 0) options.dictionary = this.history;
    const out = zlib.deflateRawSync(data, options);
    if (this.takeover) this.history = concatAll([this.history, data]).slice(-32 * 1024);
    return new Uint8Array(out.subarray(0, out.length - 4));
  }
}

/** A compressed message in one frame, RSV1 set (§6). */
function compressedFrame(opcode: number, compressed: Uint8Array): Uint8Array {
  return clientFrame(opcode, compressed, { rsv: 4 });
}

const SIZES = [16, 64, 256, 1024, 4096, 65536, 262144];
const OFFER = "permessage-deflate; client_max_window_bits";
/** Parameters in sorted order, as the runner normalises answers. */
const NO_TAKEOVER = "permessage-deflate; client_no_context_takeover; server_no_context_takeover";

/** 12 Compressed round trips: five messages of each size, the server's window and the client's kept. */
function roundTrips(): WsCase[] {
  const cases: WsCase[] = [];
  SIZES.forEach((size, i) => {
    const texts = Array.from({ length: 5 }, (_, k) => `${k} ${"compressible text ".repeat(size)}`.slice(0, size));
    const binaries = Array.from({ length: 5 }, (_, k) => pattern(size, k));
    for (const [group, kind, messages] of [["12.1", 0x1, texts], ["12.2", 0x2, binaries]] as const) {
      cases.push({
        id: `${group}.${i + 1}`,
        title: `five compressed ${kind === 1 ? "texts" : "binaries"} of ${size} bytes, echoed compressed`,
        path: "/compressed",
        extensions: OFFER,
        writes: () => {
          const client = new ClientDeflate(true);
          return messages.map((m: Uint8Array | string) => compressedFrame(kind, client.compress(m)));
        },
        expect: {
          messages: messages.map((m: Uint8Array | string) => (typeof m === "string" ? text(m) : binary(m))),
          close: 1000,
          extensions: "permessage-deflate",
        },
      });
    }
  });
  return cases;
}

/** 13 Negotiation variants, and what a compressed message may not do. */
function variants(): WsCase[] {
  const words = Array.from({ length: 4 }, (_, k) => `message ${k}: ${"abcabcabc".repeat(40)}`);
  const echoed = { messages: words.map(text), close: 1000 };
  const sent = (takeover: boolean) => () => {
    const client = new ClientDeflate(takeover);
    return words.map((w) => compressedFrame(0x1, client.compress(w)));
  };
  const bomb = new ClientDeflate(false).compress(new Uint8Array(64 * 1024 * 1024));
  const fragmented = new ClientDeflate(false).compress(words.join(" "));
  return [
    {
      id: "13.1",
      title: "no context takeover either way: agreed, each message on its own",
      path: "/compressed",
      extensions: NO_TAKEOVER,
      writes: sent(false),
      expect: { ...echoed, extensions: NO_TAKEOVER },
    },
    {
      id: "13.2",
      title: "server_max_window_bits=10: echoed, the server's window 1 KiB",
      path: "/compressed",
      extensions: "permessage-deflate; server_max_window_bits=10",
      writes: sent(true),
      expect: { ...echoed, extensions: "permessage-deflate; server_max_window_bits=10" },
    },
    {
      id: "13.3",
      title: "an offer with an unknown parameter, then a plain one: the plain one agreed",
      path: "/compressed",
      extensions: "permessage-deflate; x_unknown, permessage-deflate",
      writes: sent(true),
      expect: { ...echoed, extensions: "permessage-deflate" },
    },
    {
      id: "13.4",
      title: "no offer: nothing agreed, and RSV1 is then 1002",
      writes: () => [compressedFrame(0x1, new ClientDeflate(false).compress("x"))],
      expect: { messages: [], close: 1002, extensions: null },
    },
    {
      id: "13.5",
      title: `a zip bomb: ${bomb.length} bytes inflating to 64 MiB, over maxPayloadLength (1 MiB): 1009`,
      extensions: OFFER,
      writes: () => [compressedFrame(0x2, bomb)],
      closeAfter: false,
      expect: { messages: [], close: 1009, extensions: "permessage-deflate" },
    },
    {
      id: "13.6",
      title: "RSV1 on a continuation: 1002 (§6.1)",
      extensions: OFFER,
      writes: () => [clientFrame(0x1, "a", { fin: false }), clientFrame(0x0, "b", { rsv: 4 })],
      expect: { messages: [], close: 1002, extensions: "permessage-deflate" },
    },
    {
      id: "13.7",
      title: "RSV1 on a ping: 1002 (§6.1)",
      extensions: OFFER,
      writes: () => [clientFrame(0x9, "", { rsv: 4 })],
      expect: { messages: [], close: 1002, extensions: "permessage-deflate" },
    },
    {
      id: "13.8",
      title: "compressed data that is not DEFLATE: 1007",
      extensions: OFFER,
      writes: () => [compressedFrame(0x2, new Uint8Array([0xff, 0xff, 0xff]))],
      expect: { messages: [], close: 1007, extensions: "permessage-deflate" },
    },
    {
      id: "13.9",
      title: "compressed text that is not UTF-8 once inflated: 1007",
      extensions: OFFER,
      writes: () => [compressedFrame(0x1, new ClientDeflate(false).compress(new Uint8Array([0xed, 0xa0, 0x80])))],
      expect: { messages: [], close: 1007, extensions: "permessage-deflate" },
    },
    {
      id: "13.10",
      title: "a compressed message in 7-byte fragments, RSV1 on the first only, then a plain one in the same write",
      extensions: OFFER,
      writes: () => {
        const frames: Uint8Array[] = [];
        for (let at = 0; at < fragmented.length; at += 7) {
          const last = at + 7 >= fragmented.length;
          frames.push(
            clientFrame(at === 0 ? 0x1 : 0x0, fragmented.subarray(at, at + 7), { fin: last, rsv: at === 0 ? 4 : 0 }),
          );
        }
        return [concatAll([...frames, clientFrame(0x1, "plain")])];
      },
      expect: { messages: [text(words.join(" ")), text("plain")], close: 1000, extensions: "permessage-deflate" },
    },
    {
      id: "13.12",
      title: "a message ending its DEFLATE stream with a final block (§7.2.3.4), then one of a new stream",
      extensions: OFFER,
      writes: () => [
        compressedFrame(0x1, new Uint8Array(zlib.deflateRawSync(encoder.encode(words[0]!)))),
        compressedFrame(0x1, new ClientDeflate(false).compress(words[1]!)),
      ],
      expect: { messages: [text(words[0]!), text(words[1]!)], close: 1000, extensions: "permessage-deflate" },
    },
    {
      id: "13.11",
      title: "a compressed message of maxPayloadLength once inflated: echoed",
      path: "/compressed",
      extensions: OFFER,
      writes: () => [compressedFrame(0x2, new ClientDeflate(false).compress(pattern(MAX_PAYLOAD)))],
      expect: { messages: [binary(pattern(MAX_PAYLOAD))], close: 1000, extensions: "permessage-deflate" },
    },
  ];
}

export const DEFLATE_CASES: readonly WsCase[] = [...roundTrips(), ...variants()];
