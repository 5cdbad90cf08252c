import { type HttpError, httpError, type HttpErrorCode } from "../http-error.ts";
import type { RequestHead } from "./request-head.ts";

/** Why a request cannot be parsed: the failure variant of every parser result (one discriminant, `kind`). */
export interface ParseFailure {
  readonly kind: "failed";
  readonly error: HttpError;
  /** The request's head when it was whole before the refusal (a declared body over --max-body), for the log. */
  readonly head?: RequestHead;
}

/** The parser's one way to refuse a request: a code from HTTP_ERRORS (which implies the status), and a message. */
export function fail(code: HttpErrorCode, message: string, head?: RequestHead): ParseFailure {
  const error = httpError(code, message);
  return head === undefined ? { kind: "failed", error } : { kind: "failed", error, head };
}
