import type { RequestHead } from "../http/parser/request-head.ts";
import type { Clock } from "../ports/clock.ts";
import type { Compressor } from "../ports/compress.ts";
import type { Upgrade, WebSocketAccept } from "../websocket/accept.ts";
import { MessageDeflate, type RawStreams } from "../websocket/deflate.ts";
import { type DeflateAgreed, negotiateDeflate, parseExtensions } from "../websocket/extensions.ts";
import { checkHandshake, fieldValues } from "../websocket/handshake.ts";
import { type SessionEvents, type SessionLink, WebSocketSession } from "../websocket/session.ts";
import type { Exchange, ServerObserver } from "./observer.ts";

/**
 * What the app's upgrade() left for the response: a handshake taken (with permessage-deflate when
 * agreed on), or one refused for its version.
 */
export type PendingUpgrade =
  | {
    readonly kind: "take";
    readonly key: string;
    readonly accept: WebSocketAccept;
    readonly deflate: DeflateAgreed | null;
  }
  | { readonly kind: "wrong-version" };

/**
 * The request's upgrade() (RequestContext.upgrade): checks the handshake (RFC 6455 §4.2.1),
 * negotiates permessage-deflate when the app turned it on and the runtime's compressor has raw
 * streams (RFC 7692 §5), and notes what the response must do. Only the first call counts.
 */
export function upgradeFor(
  head: RequestHead,
  note: (pending: PendingUpgrade) => void,
  compressor?: Compressor,
): Upgrade {
  let called = false;
  return (accept) => {
    if (called) return false;
    called = true;
    const check = checkHandshake(head);
    if (check.kind === "invalid") return false;
    if (check.kind === "wrong-version") {
      note({ kind: "wrong-version" });
      return false;
    }
    note({ kind: "take", key: check.key, accept, deflate: agreeDeflate(head, accept, compressor) });
    return true;
  };
}

function agreeDeflate(head: RequestHead, accept: WebSocketAccept, compressor?: Compressor): DeflateAgreed | null {
  const config = accept.limits.perMessageDeflate ?? null;
  if (config === null || rawStreams(compressor) === null) return null;
  return negotiateDeflate(parseExtensions(fieldValues(head, "sec-websocket-extensions")), config);
}

function rawStreams(compressor?: Compressor): RawStreams | null {
  if (compressor?.rawDeflate === undefined || compressor.rawInflate === undefined) return null;
  const { rawDeflate, rawInflate } = compressor;
  return { rawDeflate: (bits) => rawDeflate(bits), rawInflate: (bits) => rawInflate(bits) };
}

/** What a connection lends the session it hands its socket to. */
export interface SessionHost {
  readonly clock: Clock;
  readonly observer?: ServerObserver;
  readonly logError: (message: string) => void;
  /** The runtime's compressor, for permessage-deflate's streams. */
  readonly compressor?: Compressor;
  /** Stops and restarts reading input (while the session inflates a message). */
  pause(): void;
  resume(): void;
  /** Queues bytes on the connection's output; false past the high-water mark. */
  write(bytes: Uint8Array, onFlushed: () => void): boolean;
  /** Bytes written on the connection so far. */
  written(): number;
  end(linger: boolean): void;
  destroy(): void;
}

/**
 * The session on a connection whose 101 is written, reporting to the server's observer: opened,
 * each message in and out, and at its end the upgrade's exchange with the session's duration and
 * the bytes it sent (`exchangeAt`).
 */
export function openSession(
  host: SessionHost,
  accept: WebSocketAccept,
  exchangeAt: (endedMs: number, bodyBytes: number) => Exchange,
  deflate: DeflateAgreed | null = null,
): WebSocketSession {
  const observe = host.observer?.websocket;
  const from = host.written();
  const counts = { in: 0, out: 0 };
  const link: SessionLink = {
    write: (bytes, onFlushed) => host.write(bytes, onFlushed),
    end: (linger) => host.end(linger),
    destroy: () => host.destroy(),
    pause: () => host.pause(),
    resume: () => host.resume(),
    counted: (direction, bytes) => {
      counts[direction]++;
      observe?.({ kind: "message", direction, bytes });
    },
  };
  observe?.({ kind: "opened" });
  const events = (session: WebSocketSession): SessionEvents => {
    const app = accept.events(session);
    if (observe === undefined) return app;
    return {
      open: () => app.open(),
      message: (m) => app.message(m),
      ping: (d) => app.ping(d),
      pong: (d) => app.pong(d),
      drain: () => app.drain(),
      close: (code, reason) => {
        const exchange = exchangeAt(host.clock.now(), host.written() - from);
        observe({ kind: "closed", exchange, code, messagesIn: counts.in, messagesOut: counts.out });
        app.close(code, reason);
      },
    };
  };
  const streams = deflate === null ? null : rawStreams(host.compressor);
  const compression = streams === null ? null : new MessageDeflate(streams, deflate!.params);
  return new WebSocketSession(link, host.clock, accept.limits, events, host.logError, compression);
}
