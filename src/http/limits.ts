/**
 * Resource limits of one connection. Sizes follow nginx's where nginx has one; the timeouts of a
 * request follow Apache's mod_reqtimeout (header=20, body=20 with MinRate=500), which bound a
 * slow client in total and not only between two of its bytes.
 */
export interface HttpLimits {
  /** Longest request-line, in bytes; longer is 414 (nginx: large_client_header_buffers 8k). */
  readonly maxRequestLineBytes: number;
  /** Largest header section, request-line included; larger is 431 (nginx: 4 x 8k buffers). */
  readonly maxHeaderBytes: number;
  /** Most header fields; more is 431. */
  readonly maxHeaderCount: number;
  /** Largest request body; larger is 413 (nginx: client_max_body_size 1m). */
  readonly maxBodyBytes: number;
  /**
   * Time allowed from the first byte of a request to the end of its head (mod_reqtimeout
   * header=20; nginx's client_header_timeout is 60s). Also how long a new connection may stay
   * silent before its first byte (nginx uses client_header_timeout for that too).
   */
  readonly headerTimeoutMs: number;
  /**
   * Time allowed between two pieces of a request body that is read (nginx: client_body_timeout),
   * and the start of the body's allowance under minBodyRate.
   */
  readonly bodyTimeoutMs: number;
  /**
   * The slowest body that is read, in bytes per second (mod_reqtimeout MinRate=500): a body must
   * be complete by bodyTimeoutMs plus one second per minBodyRate bytes received. 0: no floor.
   */
  readonly minBodyRate: number;
  /**
   * Time allowed for a whole request, from its first byte to the end of its head and of any body
   * that is read (Node's http server: requestTimeout 300 s). Uploads must fit in it.
   */
  readonly requestTimeoutMs: number;
  /** Time an idle keep-alive connection stays open (nginx: keepalive_timeout 75s). */
  readonly idleTimeoutMs: number;
  /** Time a response may wait for the client to read more of it (nginx: send_timeout 60s). */
  readonly sendTimeoutMs: number;
  /**
   * Time the app may take to answer a request, and a streamed body to give its next piece
   * (nginx: proxy_read_timeout 60s). Past it, a 503 when nothing was sent yet, else the
   * connection closes; the request's signal aborts either way. Time the app spends waiting for
   * the request's body does not count (the body deadlines cover the client). 0: no limit.
   */
  readonly responseTimeoutMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  maxRequestLineBytes: 8 * 1024,
  maxHeaderBytes: 32 * 1024,
  maxHeaderCount: 100,
  maxBodyBytes: 1024 * 1024,
  headerTimeoutMs: 20_000,
  bodyTimeoutMs: 20_000,
  minBodyRate: 500,
  requestTimeoutMs: 300_000,
  idleTimeoutMs: 75_000,
  sendTimeoutMs: 60_000,
  responseTimeoutMs: 60_000,
};

/** Connections served at once (nginx's worker_connections is 512; the benchmarks use 1000). */
export const DEFAULT_MAX_CONNECTIONS = 1024;

/**
 * Connections from one address at once: a quarter of the default cap, so one address (a single
 * attacker, or one busy NAT) cannot take every slot. 0: no per-address cap.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 256;
