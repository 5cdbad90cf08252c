/**
 * Whether the Accept field (RFC 9110 §12.5.1) lists this media type with a weight above 0
 * (§12.4.2: q=0 means "not acceptable"). A weight that is not a number is ignored (the range
 * keeps weight 1). `type` is lower case.
 */
export function acceptsMediaType(accept: string | undefined, type: string): boolean {
  if (accept === undefined) return false;
  for (const range of accept.split(",")) {
    const [name = "", ...params] = range.split(";");
    if (name.trim().toLowerCase() !== type) continue;
    let weight = 1;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
      const value = param.slice(eq + 1).trim();
      const n = Number(value);
      if (value !== "" && Number.isFinite(n)) weight = n;
    }
    if (weight > 0) return true;
  }
  return false;
}
