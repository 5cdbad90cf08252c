/**
 * Every refusal the connection gives by itself, by name (llhttp's `ERROR` table is the model),
 * with the status it earns: naming the code implies the status. The parser's protocol errors
 * first, then the connection's own.
 */
export const HTTP_ERRORS = {
  // RFC 9112 §2.2: line endings and empty lines before the request-line.
  INVALID_LINE_ENDING: 400,
  INVALID_REQUEST_LINE: 400,
  // RFC 9112 §3: the request-line.
  INVALID_METHOD: 400,
  INVALID_URL: 400,
  INVALID_VERSION: 400,
  URI_TOO_LONG: 414,
  // RFC 9112 §2.3, RFC 9110 §15.6.6: a major version other than 1.
  UNSUPPORTED_VERSION: 505,
  // RFC 9112 §5: field lines; RFC 6585 §5: too many or too large.
  OBS_FOLD: 400,
  INVALID_HEADER_TOKEN: 400,
  INVALID_HEADER_VALUE: 400,
  HEADER_OVERFLOW: 431,
  // RFC 9112 §3.2: Host.
  MISSING_HOST: 400,
  DUPLICATE_HOST: 400,
  INVALID_HOST: 400,
  // RFC 9112 §6: framing.
  UNEXPECTED_CONTENT_LENGTH: 400,
  INVALID_CONTENT_LENGTH: 400,
  INVALID_TRANSFER_ENCODING: 400,
  UNSUPPORTED_TRANSFER_ENCODING: 501,
  BODY_TOO_LARGE: 413,
  // RFC 9112 §7.1: the chunked coding.
  INVALID_CHUNK_SIZE: 400,
  INVALID_CHUNK_DATA: 400,
  INVALID_TRAILER: 400,
  // The connection's own: a bad PROXY protocol header, body bytes outside a request, too slow (RFC 9110 §15.5.9).
  INVALID_PROXY_HEADER: 400,
  INVALID_BODY: 400,
  TIMEOUT: 408,
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** A request the server refuses: its code, the status the code implies, and what exactly was wrong. */
export interface HttpError {
  readonly code: HttpErrorCode;
  readonly status: (typeof HTTP_ERRORS)[HttpErrorCode];
  readonly message: string;
}

export function httpError(code: HttpErrorCode, message: string): HttpError {
  return { code, status: HTTP_ERRORS[code], message };
}
