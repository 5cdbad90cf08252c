/** Field lines as the tests read them (RFC 9110 §5, RFC 9112 §5): strictly, repeats kept. Used by ./http-response-parser.ts. */

/** One field line: the name as sent, the value without its surrounding whitespace. */
export type Field = readonly [name: string, value: string];

/** Field lines, looked up by name case-insensitively (RFC 9110 §5.1). */
export class Fields {
  constructor(readonly lines: readonly Field[]) {}

  /** Every line's value for a name, in order. */
  all(name: string): string[] {
    const lower = name.toLowerCase();
    return this.lines.filter(([n]) => n.toLowerCase() === lower).map(([, value]) => value);
  }

  /** The field's value: its lines joined with ", " (RFC 9110 §5.3), or undefined when absent. */
  get(name: string): string | undefined {
    const values = this.all(name);
    return values.length === 0 ? undefined : values.join(", ");
  }
}

/** field-name is a token (RFC 9110 §5.1); no whitespace before the colon (RFC 9112 §5.1). */
const FIELD_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;
/** field-value: VCHAR, obs-text, and SP/HTAB inside (RFC 9110 §5.5). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A block of field lines, each ending in CRLF (a multipart part's head, say), read as strictly as a response's. */
export function parseFieldBlock(text: string): Fields {
  if (text === "") return new Fields([]);
  if (!text.endsWith("\r\n")) throw new Error(`field lines must end in CRLF: ${JSON.stringify(text)}`);
  const lines = text.slice(0, -2).split("\r\n").map((line) => {
    const field = fieldLine(line);
    if (typeof field === "string") throw new Error(field);
    return field;
  });
  return new Fields(lines);
}

/** A field line, or what is wrong with it. */
export function fieldLine(line: string): Field | string {
  if (line.startsWith(" ") || line.startsWith("\t")) return `obs-fold (RFC 9112 §5.2): ${JSON.stringify(line)}`;
  const match = FIELD_LINE.exec(line);
  if (match === null) return `a malformed field line ${JSON.stringify(line)} (RFC 9112 §5.1)`;
  if (!FIELD_VALUE.test(match[2]!)) {
    return `a control character in the field value of ${JSON.stringify(line)} (RFC 9110 §5.5)`;
  }
  return [match[1]!, match[2]!];
}
