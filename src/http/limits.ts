/** Resource limits of one connection. Defaults follow nginx's where nginx has one. */
export interface HttpLimits {
  /** Longest request-line, in bytes; longer is 414 (nginx: large_client_header_buffers 8k). */
  readonly maxRequestLineBytes: number;
  /** Largest header section, request-line included; larger is 431 (nginx: 4 x 8k buffers). */
  readonly maxHeaderBytes: number;
  /** Most header fields; more is 431. */
  readonly maxHeaderCount: number;
  /** Largest request body; larger is 413 (nginx: client_max_body_size 1m). */
  readonly maxBodyBytes: number;
  /** Time allowed from the first byte of a request to the end of its head (nginx: client_header_timeout 60s). */
  readonly headerTimeoutMs: number;
  /** Time allowed between bytes of a request body (nginx: client_body_timeout 60s). */
  readonly bodyTimeoutMs: number;
  /** Time an idle keep-alive connection stays open (nginx: keepalive_timeout 75s). */
  readonly idleTimeoutMs: number;
  /** Time a response may wait for the client to read more of it (nginx: send_timeout 60s). */
  readonly sendTimeoutMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  maxRequestLineBytes: 8 * 1024,
  maxHeaderBytes: 32 * 1024,
  maxHeaderCount: 100,
  maxBodyBytes: 1024 * 1024,
  headerTimeoutMs: 60_000,
  bodyTimeoutMs: 60_000,
  idleTimeoutMs: 75_000,
  sendTimeoutMs: 60_000,
};

/** Connections served at once (nginx's worker_connections is 512; the benchmarks use 1000). */
export const DEFAULT_MAX_CONNECTIONS = 1024;
