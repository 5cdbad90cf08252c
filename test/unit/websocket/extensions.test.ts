import { describe, expect, it } from "vitest";
import { type DeflateConfig, deflateOption } from "../../../src/websocket/deflate-params.ts";

function deflateConfig(option: unknown): DeflateConfig | null {
  const read = deflateOption(option);
  if (read.kind === "invalid") throw new Error(read.message);
  return read.config;
}
import { negotiateDeflate, parseExtensions } from "../../../src/websocket/extensions.ts";

const SHARED = deflateConfig(true)!;
const DEDICATED = deflateConfig({ compress: "dedicated", decompress: "dedicated" })!;

function answer(offer: string, config = DEDICATED): string | null {
  return negotiateDeflate(parseExtensions([offer]), config)?.answer ?? null;
}

describe("Sec-WebSocket-Extensions (RFC 6455 §9.1)", () => {
  it("parses offers, parameters and quoted values, across fields and commas", () => {
    expect(parseExtensions(['permessage-deflate; client_max_window_bits; server_max_window_bits="10"', "foo, bar;x=1"]))
      .toEqual([
        { name: "permessage-deflate", params: [["client_max_window_bits", null], ["server_max_window_bits", "10"]] },
        { name: "foo", params: [] },
        { name: "bar", params: [["x", "1"]] },
      ]);
  });

  it("leaves out an element that is not a token list", () => {
    expect(parseExtensions(["per message, ok; =1, fine"])).toEqual([{ name: "fine", params: [] }]);
  });
});

describe("permessage-deflate negotiation (RFC 7692 §7.1)", () => {
  it("true (Bun's shared): no context takeover either way, answered unasked", () => {
    expect(answer("permessage-deflate", SHARED)).toBe(
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
    );
  });

  it("dedicated: windows kept unless the client asks the server not to (§7.1.1.1)", () => {
    expect(answer("permessage-deflate")).toBe("permessage-deflate");
    expect(answer("permessage-deflate; server_no_context_takeover")).toBe(
      "permessage-deflate; server_no_context_takeover",
    );
    // §7.1.1.2: the client's own promise, echoed: the server's inflater may then forget between messages.
    expect(answer("permessage-deflate; client_no_context_takeover")).toBe(
      "permessage-deflate; client_no_context_takeover",
    );
  });

  it("server_max_window_bits is echoed (§7.1.2.1); client_max_window_bits is never limited (§7.1.2.2)", () => {
    const agreed = negotiateDeflate(parseExtensions(["permessage-deflate; server_max_window_bits=10"]), DEDICATED);
    expect(agreed?.answer).toBe("permessage-deflate; server_max_window_bits=10");
    expect(agreed?.params.serverMaxWindowBits).toBe(10);
    expect(answer("permessage-deflate; client_max_window_bits")).toBe("permessage-deflate");
    expect(answer("permessage-deflate; client_max_window_bits=9")).toBe("permessage-deflate");
  });

  it("declines an offer with an unknown, repeated or malformed parameter, and takes the next one (§7.1)", () => {
    for (
      const bad of [
        "permessage-deflate; foo",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; client_max_window_bits=20",
        "permessage-deflate; server_no_context_takeover=1",
      ]
    ) {
      expect(answer(bad), bad).toBeNull();
      expect(answer(`${bad}, permessage-deflate`), bad).toBe("permessage-deflate");
    }
  });

  it("declines server_max_window_bits=8 when it compresses (zlib's raw deflate widens 8 to 9), accepts it when it does not", () => {
    expect(answer("permessage-deflate; server_max_window_bits=8")).toBeNull();
    const decompressOnly = deflateConfig({ compress: false, decompress: true })!;
    expect(answer("permessage-deflate; server_max_window_bits=8", decompressOnly)).toBe(
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8",
    );
  });

  it("other extensions are ignored; no offer, nothing agreed", () => {
    expect(answer("x-webkit-deflate-frame")).toBeNull();
    expect(answer("x-webkit-deflate-frame, permessage-deflate")).toBe("permessage-deflate");
  });
});

describe("the perMessageDeflate option (Bun's shape)", () => {
  it("is off by default and for false, both sides off or disable", () => {
    for (const off of [undefined, false, { compress: false, decompress: false }, { compress: "disable" }]) {
      expect(deflateConfig(off)).toBeNull();
    }
  });

  it("maps true, shared, dedicated and Bun's sizes", () => {
    expect(deflateConfig(true)).toEqual({ compress: "shared", decompress: "shared" });
    expect(deflateConfig({ compress: "16KB", decompress: true })).toEqual({
      compress: "dedicated",
      decompress: "shared",
    });
  });

  it("refuses what Bun would not take, naming it", () => {
    expect(deflateOption("yes")).toEqual({
      kind: "invalid",
      message: "perMessageDeflate must be a boolean or { compress, decompress }",
    });
    expect(deflateOption({ compress: "huge" })).toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^perMessageDeflate.compress must be true, false, "disable"/),
    });
    expect(deflateOption({ decompress: 3 })).toMatchObject({
      message: expect.stringMatching(/^perMessageDeflate.decompress/),
    });
  });
});
