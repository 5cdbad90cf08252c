import { type HttpError, httpError, type HttpErrorCode } from "../http-error.ts";

/** Why a request cannot be parsed: the failure variant of every parser result (one discriminant, `kind`). */
export interface ParseFailure {
  readonly kind: "failed";
  readonly error: HttpError;
}

/** The parser's one way to refuse a request: a code from HTTP_ERRORS (which implies the status), and a message. */
export function fail(code: HttpErrorCode, message: string): ParseFailure {
  return { kind: "failed", error: httpError(code, message) };
}
