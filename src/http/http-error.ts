/** A request the server refuses, named like llhttp's errors, with the status it earns. */
export interface HttpError {
  readonly status: 400 | 408 | 413 | 414 | 431 | 501 | 505;
  readonly code: string;
  readonly message: string;
}

export function httpError(status: HttpError["status"], code: string, message: string): HttpError {
  return { status, code, message };
}
