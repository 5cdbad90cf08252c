/**
 * A thrown value as one line of the error log: its name and message, and where it was thrown (the
 * stack's first frame), so a flood of failures is a line each, never a stack trace each.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return oneLine(String(error));
  const text = oneLine(`${error.name}: ${error.message}`);
  const frame = firstFrame(error.stack);
  return frame === null ? text : `${text} (${frame})`;
}

/** The first "at ..." line of a V8 or JavaScriptCore stack, trimmed; null when there is none. */
function firstFrame(stack: string | undefined): string | null {
  if (stack === undefined) return null;
  for (const line of stack.split("\n")) {
    const trimmed = line.trim();
    // V8 (Node, Deno): "at fn (file:line:col)"; JavaScriptCore (Bun): "fn@file:line:col" or "at ...".
    if (trimmed.startsWith("at ")) return trimmed;
    if (/^[^\s]*@\S+:\d+:\d+$/.test(trimmed)) return `at ${trimmed}`;
  }
  return null;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
