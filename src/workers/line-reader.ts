/** A worker's stderr, as whole lines: what the supervisor relays is never a line cut in two. */
export interface LineReader {
  /** The lines the chunk completes (without their "\n" or "\r\n"). */
  push(chunk: Uint8Array): string[];
  /** What is left once the stream has ended: a last line without "\n", or nothing. */
  end(): string[];
}

/** A line longer than this is passed on in pieces of this many characters (a worker writing without newlines cannot grow the supervisor). */
export const MAX_LINE = 64 * 1024;

export function lineReader(maxLine = MAX_LINE): LineReader {
  const decoder = new TextDecoder();
  let rest = "";
  const take = (text: string): string[] => {
    rest += text;
    const lines: string[] = [];
    let newline: number;
    while ((newline = rest.indexOf("\n")) !== -1) {
      lines.push(rest.slice(0, newline > 0 && rest[newline - 1] === "\r" ? newline - 1 : newline));
      rest = rest.slice(newline + 1);
    }
    while (rest.length > maxLine) {
      lines.push(rest.slice(0, maxLine));
      rest = rest.slice(maxLine);
    }
    return lines;
  };
  return {
    push: (chunk) => take(decoder.decode(chunk, { stream: true })),
    end: () => {
      const lines = take(decoder.decode());
      if (rest !== "") lines.push(rest);
      rest = "";
      return lines;
    },
  };
}
