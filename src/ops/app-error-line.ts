import type { UncaughtKind } from "../ports/uncaught.ts";

/** The request an error came from, as far as a line says it. */
export interface ErrorOrigin {
  readonly method: string;
  readonly target: string;
}

const KIND_WORDS: Readonly<Record<UncaughtKind, string>> = {
  unhandled_rejection: "unhandled rejection",
  uncaught_exception: "uncaught exception",
};

/** How much of a message, a target and a stack frame a line keeps: one line, not a dump. */
const MAX_MESSAGE = 500;
const MAX_TARGET = 200;
const MAX_FRAME = 300;

/**
 * One stderr line for an error nothing caught: its kind, the request it came from when known,
 * the error's message and its first stack frame, e.g.
 *   sundial: unhandled rejection in GET /reject: Error: no database (at fetch (file:///srv/app.mjs:4:50))
 *   sundial: uncaught exception (request not known): TypeError: x is undefined (at Timeout._onTimeout (...))
 */
export function appErrorLine(kind: UncaughtKind, error: unknown, origin: ErrorOrigin | null): string {
  const where = origin === null
    ? " (request not known)"
    : ` in ${printable(origin.method, 32)} ${printable(origin.target, MAX_TARGET)}`;
  const frame = firstFrame(error);
  return `sundial: ${KIND_WORDS[kind]}${where}: ${printable(thrownMessage(error), MAX_MESSAGE)}${
    frame === null ? "" : ` (${printable(frame, MAX_FRAME)})`
  }`;
}

/** "Name: message" for an Error, the text of anything else; never throws (a value's getters or toString may). */
export function thrownMessage(error: unknown): string {
  try {
    if (error instanceof Error) {
      return error.message === "" ? String(error.name) : `${String(error.name)}: ${String(error.message)}`;
    }
    return String(error);
  } catch {
    return "(a thrown value that cannot be shown as text)";
  }
}

/** The first "at ..." line of the value's stack (V8's and JavaScriptCore's as Bun writes it), or null. */
export function firstFrame(error: unknown): string | null {
  try {
    const stack = typeof error === "object" && error !== null ? (error as { stack?: unknown }).stack : undefined;
    if (typeof stack !== "string") return null;
    for (const line of stack.split("\n")) {
      const trimmed = line.trim();
      if (trimmed.startsWith("at ")) return trimmed;
    }
    return null;
  } catch {
    return null;
  }
}

/** Controls (C0, DEL, C1) and the Unicode line separators: what must not reach a terminal or split the line. */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** The text cut to max characters (not inside a surrogate pair), its controls written as \n, \r, \t or \uXXXX. */
export function printable(text: string, max: number): string {
  let cut = text;
  if (text.length > max) {
    const end = (text.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max;
    cut = `${text.slice(0, end)}...`;
  }
  return cut.replace(CONTROLS, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
