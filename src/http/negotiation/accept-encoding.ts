/** Content negotiation of the content coding (RFC 9110 §12.5.3). */
import { trimOws } from "../chars.ts";

export type Coding = "br" | "zstd" | "gzip";

/** At equal weight the first of these wins (smallest output first). */
const PREFERENCE: readonly Coding[] = ["br", "zstd", "gzip"];

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
const QVALUE = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/;
// RFC 9110 §5.6.2: token = 1*tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Picks the coding to send from those available, or null for identity.
 * No header: null (we only compress when asked). Highest q wins; at equal q br > zstd > gzip;
 * identity wins only when the client weighs it strictly higher than every acceptable coding.
 */
export function chooseEncoding(header: string | undefined, available: readonly Coding[]): Coding | null {
  if (header === undefined) return null;
  const weights = parseAcceptEncoding(header);
  // RFC 9110 §12.5.3: "*" matches any coding not explicitly listed in the field.
  const star = weights.get("*");
  const weightOf = (coding: string): number | undefined => weights.get(coding) ?? star;
  let best: Coding | null = null;
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    if (!available.includes(coding)) continue;
    const weight = weightOf(coding) ?? 0;
    // RFC 9110 §12.4.2: a weight of 0 means "not acceptable".
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  // RFC 9110 §12.5.3: identity is acceptable unless refused; it only competes when weighed.
  const identity = weightOf("identity");
  if (best !== null && identity !== undefined && identity > bestWeight) return null;
  return best;
}

/**
 * Accept-Encoding = #( codings [ weight ] ); weight = OWS ";" OWS "q=" qvalue (RFC 9110 §12.5.3,
 * §12.4.2). Names are lower-cased, weights in thousandths; malformed elements are skipped. A coding
 * listed twice keeps its highest weight.
 */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const element of header.split(",")) {
    const parsed = parseElement(element);
    if (parsed === null) continue;
    const [name, weight] = parsed;
    weights.set(name, Math.max(weight, weights.get(name) ?? 0));
  }
  return weights;
}

function parseElement(element: string): readonly [string, number] | null {
  const parts = element.split(";");
  let name = trimOws(parts[0]!).toLowerCase();
  if (!TOKEN.test(name)) return null;
  // RFC 9110 §8.4.1.3: x-gzip is an alias of gzip.
  if (name === "x-gzip") name = "gzip";
  if (parts.length === 1) return [name, 1000];
  if (parts.length > 2) return null;
  const param = trimOws(parts[1]!);
  // RFC 9110 §12.4.2: the "q" parameter name is case-insensitive.
  if (param[0] !== "q" && param[0] !== "Q") return null;
  if (param[1] !== "=") return null;
  const q = param.slice(2);
  if (!QVALUE.test(q)) return null;
  return [name, Math.round(Number(q) * 1000)];
}
