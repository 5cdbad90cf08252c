import { DEFAULT_LIMITS } from "../http/limits.ts";
import { MIN_MAX_FRAME_SIZE } from "./settings.ts";

/**
 * The limits of one HTTP/2 connection (RFC 9113 §5.1.2, §5.2, §6.5.2, §10.5): what we announce
 * in our SETTINGS, and how far a peer may go before a stream or the connection is refused.
 */
export interface Http2Options {
  /** SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2): streams open at once, and handlers run at once. */
  readonly maxConcurrentStreams: number;
  /**
   * Requests waiting for a handler slot (reset ones included, as Go counts them) past which the
   * peer is told to calm down (GOAWAY ENHANCE_YOUR_CALM): the Rapid Reset bound.
   */
  readonly maxQueuedRequests: number;
  /** New streams one read (one feed) may open; more is GOAWAY ENHANCE_YOUR_CALM. */
  readonly maxNewStreamsPerRead: number;
  /**
   * SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2): each stream's receive window; at least 65,535 (the
   * initial value: a smaller one would bind the peer only once it has read our SETTINGS).
   */
  readonly initialWindowSize: number;
  /** The connection's receive window, raised from 65,535 by a WINDOW_UPDATE at the start (§6.9.2). */
  readonly connectionWindowSize: number;
  /** SETTINGS_MAX_FRAME_SIZE (§4.2): the longest frame payload we read, once the peer acknowledged it. */
  readonly maxFrameSize: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE (§6.5.2): a decoded field list's size (name + value + 32 each); over it, 431. */
  readonly maxHeaderListSize: number;
  /** Fields a decoded list may hold; more is 431. */
  readonly maxHeaderFields: number;
  /** HPACK's dynamic table, ours (decoder: the protocol's 4096, not announced) and the most our encoder keeps. */
  readonly headerTableSize: number;
  /** CONTINUATION frames one field block may have (CVE-2024-27316); more is GOAWAY ENHANCE_YOUR_CALM. */
  readonly maxContinuations: number;
  /** A field block's compressed bytes, all fragments together; more is GOAWAY ENHANCE_YOUR_CALM. */
  readonly maxHeaderBlockBytes: number;
  /** A request body's bytes; past it the body's read fails with 413. */
  readonly maxBodyBytes: number;
  /**
   * Stream resets the peer causes (its RST_STREAM frames, and our stream errors) as a token
   * bucket: this many at once, refilled at resetRefillPerSecond; empty is GOAWAY
   * ENHANCE_YOUR_CALM (CVE-2023-44487 Rapid Reset, CVE-2025-8671 MadeYouReset).
   */
  readonly resetBurst: number;
  readonly resetRefillPerSecond: number;
  /** SETTINGS and PING acknowledgements queued and not yet written (a peer that does not read); more is ENHANCE_YOUR_CALM. */
  readonly maxPendingAcks: number;
  /** How long a stream with data to send may find its windows at zero before the connection is closed. */
  readonly zeroWindowTimeoutMs: number;
  /** Bytes a streamed response body (StreamBody: server-sent events) may queue on one stream; past it, pieces are dropped. */
  readonly maxStreamBodyQueue: number;
  /** The buffer a file body is read into, per stream sending one. */
  readonly fileChunkBytes: number;
  /**
   * Handlers that may run at once across all of a server's connections beyond each one's first
   * (handler-pool.ts): a connection's further streams wait for a slot of this pool.
   */
  readonly sharedHandlers: number;
}

export const DEFAULT_MAX_CONCURRENT_STREAMS = 100;

export const DEFAULT_HTTP2_OPTIONS: Http2Options = {
  maxConcurrentStreams: DEFAULT_MAX_CONCURRENT_STREAMS,
  maxQueuedRequests: 4 * DEFAULT_MAX_CONCURRENT_STREAMS,
  maxNewStreamsPerRead: 2 * DEFAULT_MAX_CONCURRENT_STREAMS,
  initialWindowSize: 1024 * 1024,
  connectionWindowSize: 2 * 1024 * 1024,
  maxFrameSize: MIN_MAX_FRAME_SIZE,
  maxHeaderListSize: 64 * 1024,
  maxHeaderFields: 100,
  headerTableSize: 4096,
  maxContinuations: 8,
  maxHeaderBlockBytes: 64 * 1024,
  maxBodyBytes: DEFAULT_LIMITS.maxBodyBytes,
  resetBurst: 1000,
  resetRefillPerSecond: 33,
  maxPendingAcks: 1000,
  zeroWindowTimeoutMs: 30_000,
  maxStreamBodyQueue: 64 * 1024,
  fileChunkBytes: 32 * 1024,
  sharedHandlers: 1024,
};

/**
 * Options from a partial set: the defaults for what is missing, the queue and per-read bounds
 * following maxConcurrentStreams (4x and 2x) unless given, windows at least 65,535.
 */
export function http2Options(partial: Partial<Http2Options> = {}): Http2Options {
  const streams = partial.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS;
  const options = {
    ...DEFAULT_HTTP2_OPTIONS,
    maxQueuedRequests: 4 * streams,
    maxNewStreamsPerRead: 2 * streams,
    ...partial,
  };
  const initialWindowSize = Math.max(INITIAL_WINDOW, options.initialWindowSize);
  return {
    ...options,
    initialWindowSize,
    connectionWindowSize: Math.max(INITIAL_WINDOW, options.connectionWindowSize),
  };
}

/** §6.9.2: every window's size before SETTINGS or WINDOW_UPDATE change it. */
export const INITIAL_WINDOW = 65535;
