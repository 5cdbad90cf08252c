/**
 * Pieces of the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/
 * exposition_formats, "Text format details"): lines end in "\n", the last one too; a family is
 * "# HELP name text" and "# TYPE name type" before its samples; a sample is
 * name{label="value",...} value.
 */

export type MetricType = "counter" | "gauge" | "histogram";

/** Label values escape backslash, double quote and line feed as \\, \" and \n ("Line format"). */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`)) : value;
}

/** HELP text escapes backslash and line feed as \\ and \n ("Comments, help text, and type information"). */
export function escapeHelp(text: string): string {
  return /[\\\n]/.test(text) ? text.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\")) : text;
}

/**
 * A sample value: a float as Go's ParseFloat reads it, with +Inf, -Inf and NaN for the
 * specials ("Line format"). JavaScript's Number::toString (ECMA-262 §6.1.6.1.20) writes
 * integers plainly, the shortest round-tripping digits otherwise, and "1e+21" beyond 2^69,
 * all of which ParseFloat accepts.
 */
export function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return Number.isNaN(value) ? "NaN" : String(value);
}

/** The HELP and TYPE lines that open a family. */
export function familyHead(name: string, type: MetricType, help: string): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

/** `{a="x",b="y"}` from name/value pairs, or "" without labels. */
export function labelSet(labels: readonly (readonly [string, string])[]): string {
  if (labels.length === 0) return "";
  return `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

/** One sample line. */
export function sample(name: string, labels: string, value: number): string {
  return `${name}${labels} ${formatValue(value)}\n`;
}

/** A family of one unlabelled sample: a counter or a gauge. */
export function single(name: string, type: "counter" | "gauge", help: string, value: number): string {
  return familyHead(name, type, help) + sample(name, "", value);
}
