import { type HttpError, httpError } from "../http-error.ts";

/** Why a request cannot be parsed: the error variant of every parser result (one discriminant, `kind`). */
export interface ParseFailure {
  readonly kind: "error";
  readonly error: HttpError;
}

/** The parser's one way to refuse a request: the status it earns, an llhttp-style code, a message. */
export function fail(status: HttpError["status"], code: string, message: string): ParseFailure {
  return { kind: "error", error: httpError(status, code, message) };
}
