/**
 * nginx's pinned behaviour, the reference the HTTP/2 parts are proven against.
 *
 * Where nginx (Debian's 1.22.1) strays from RFC 9113 and RFC 7541 on the conformance cases
 * (h2-cases-*.ts), pinned: what it does instead, and why. The conformance part plays nginx's
 * cases against these outcomes, so a change in nginx shows as a failure; sundial is held to the
 * RFC's outcome. h2spec reports the same kinds of failures for nginx (idle-stream frames ignored,
 * connection-specific fields accepted, lenient HPACK).
 */
import type { H2AttackBounds } from "./h2-attack-bounds.ts";
import type { Deviation } from "./h2-case-runner.ts";
import { ALIVE, answered, connectionError } from "./h2-case-helpers.ts";

const IGNORES = (what: string): Deviation => ({ expect: ALIVE, reason: `nginx ignores ${what}` });
const SERVES = (what: string): Deviation => ({ expect: answered(1, 200), reason: `nginx serves the request: ${what}` });

export const NGINX_DEVIATIONS: ReadonlyMap<string, Deviation> = new Map<string, Deviation>([
  ["3.5/3", IGNORES("that the preface's first frame is a PING, not SETTINGS (it answers the PING)")],
  ["4.3/1", {
    expect: connectionError("FRAME_SIZE_ERROR"),
    reason:
      'nginx calls a field block cut inside a string literal FRAME_SIZE_ERROR ("header block with incorrect length")',
  }],
  ["5.1/1", IGNORES("DATA on an idle stream")],
  ["5.1/2", IGNORES("RST_STREAM on an idle stream")],
  ["5.1/3", IGNORES("WINDOW_UPDATE on an idle stream")],
  ["5.1/7", {
    expect: connectionError("PROTOCOL_ERROR"),
    reason: "nginx fails the connection with PROTOCOL_ERROR, not the stream with STREAM_CLOSED",
  }],
  ["5.1/9", IGNORES("DATA on a stream it has seen reset")],
  ["5.1/10", {
    expect: connectionError("PROTOCOL_ERROR"),
    reason: "nginx fails the connection with PROTOCOL_ERROR, not the stream with STREAM_CLOSED",
  }],
  ["5.1/12", IGNORES("DATA on a closed stream")],
  ["6.4/2", IGNORES("RST_STREAM on an idle stream")],
  ["8.2.1/7", SERVES("it does not check for whitespace around field values")],
  ["8.2.1/8", SERVES("it does not check for whitespace around field values")],
  ["8.2.2/1", SERVES("nginx 1.22 does not refuse connection-specific fields")],
  ["8.2.2/2", SERVES("nginx 1.22 does not refuse connection-specific fields")],
  ["8.2.2/3", SERVES("nginx 1.22 does not refuse connection-specific fields")],
  ["8.2.2/4", SERVES("nginx 1.22 does not refuse connection-specific fields")],
  ["8.2.2/5", SERVES("nginx 1.22 does not refuse connection-specific fields")],
  ["8.2.2/6", SERVES("nginx 1.22 does not check te's value")],
  ["8.3/4", SERVES("it accepts a pseudo-header field after a regular one")],
  [
    "hpack 2.3.3/3",
    SERVES(
      "a size update before the connection's first dynamic table entry is forgotten (nginx sets its table up, at 4096 octets, on the first insertion), so nothing is evicted",
    ),
  ],
  ["hpack 4.2/1", SERVES("it takes a dynamic table size update anywhere in a block")],
  ["hpack 4.2/3", SERVES("it takes a dynamic table size update anywhere in a block")],
  ["hpack 5.2/1", SERVES("its Huffman decoder takes padding longer than 7 bits when it is all ones")],
  ["hpack 5.2/5", {
    expect: connectionError("FRAME_SIZE_ERROR"),
    reason:
      'nginx calls a string literal longer than the block FRAME_SIZE_ERROR ("header block with incorrect length")',
  }],
]);

/**
 * nginx 1.22's HTTP/2 limits as the attacks meet them (its defaults, send_timeout set to the
 * hold): a reset flood of either kind runs into keepalive_requests (1,000 streams, then GOAWAY
 * NO_ERROR; the 1.25.3 limit on reset streams is not in 1.22), but a WINDOW_UPDATE of 0 on a
 * stream fails the whole connection (PROTOCOL_ERROR) at once; http2_max_header_size (16 KiB)
 * ends a CONTINUATION flood and the header list bomb with ENHANCE_YOUR_CALM; its flood detection
 * (10,000 frames queued unsent) closes the connection of unread SETTINGS or PING ACKs; a stream
 * at a zero window is reset (PROTOCOL_ERROR) after send_timeout, the connection kept.
 */
export const NGINX_H2_ATTACK_BOUNDS: H2AttackBounds = {
  rapidReset: { codes: ["NO_ERROR"], maxStreams: 1000 },
  madeYouResetWindow: { codes: ["PROTOCOL_ERROR"], maxStreams: 1 },
  madeYouResetData: { codes: ["NO_ERROR"], maxStreams: 1000 },
  continuation: { maxOctets: 64 * 1024, codes: ["ENHANCE_YOUR_CALM"] },
  headerBomb: { outcome: /^GOAWAY ENHANCE_YOUR_CALM$/ },
  settingsFlood: { maxFrames: 1_000_000 },
  pingFlood: { maxFrames: 1_000_000 },
  zeroWindow: { holdS: 2, outcome: "reset" },
  manyConnections: { peakGrowthMiB: 64 },
  attackGrowthMiB: 32,
};
