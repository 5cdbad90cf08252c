import type { DeflateConfig, DeflateParams } from "./deflate-params.ts";

/** An extension offered in Sec-WebSocket-Extensions (RFC 6455 §9.1): its name and parameters, values unquoted. */
export interface ExtensionOffer {
  readonly name: string;
  readonly params: ReadonlyArray<readonly [string, string | null]>;
}

/** permessage-deflate agreed: its parameters and the Sec-WebSocket-Extensions value of the 101. */
export interface DeflateAgreed {
  readonly params: DeflateParams;
  readonly answer: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The offers of the Sec-WebSocket-Extensions values, in order (§9.1's grammar: a comma-separated
 * list of `name *( ";" param [ "=" value ] )`, a value a token or a quoted string). A malformed
 * element is left out (the client asked for something unreadable: it gets nothing).
 */
export function parseExtensions(values: readonly string[]): ExtensionOffer[] {
  const offers: ExtensionOffer[] = [];
  for (const value of values) {
    for (const element of splitOutsideQuotes(value, ",")) {
      const offer = parseOffer(element);
      if (offer !== null) offers.push(offer);
    }
  }
  return offers;
}

function parseOffer(element: string): ExtensionOffer | null {
  const [name, ...rest] = splitOutsideQuotes(element, ";").map((part) => part.trim());
  if (name === undefined || !TOKEN.test(name)) return null;
  const params: Array<readonly [string, string | null]> = [];
  for (const part of rest) {
    const at = part.indexOf("=");
    const key = (at < 0 ? part : part.slice(0, at)).trim();
    if (!TOKEN.test(key)) return null;
    const value = at < 0 ? null : unquote(part.slice(at + 1).trim());
    if (at >= 0 && value === null) return null;
    params.push([key.toLowerCase(), value]);
  }
  return { name: name.toLowerCase(), params };
}

/** A token, or a quoted string's content with its escapes undone; null when it is neither. */
function unquote(value: string): string | null {
  if (TOKEN.test(value)) return value;
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return null;
  const inner = value.slice(1, -1).replace(/\\(.)/g, "$1");
  return TOKEN.test(inner) ? inner : null;
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      parts.push(value.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(value.slice(from));
  return parts.filter((part) => part.trim() !== "");
}

/** §7.1.2: a window size is an integer from 8 to 15 with no leading zero. */
const WINDOW_BITS = /^(8|9|1[0-5])$/;

/**
 * Accepts the first permessage-deflate offer this server can honour (RFC 7692 §5, §7.1), or
 * none. An offer with an unknown or repeated parameter, or a bad value, is declined (§7.1). The
 * answer: server_no_context_takeover when the client asked or the server keeps no window
 * (§7.1.1.1); client_no_context_takeover when the client offered it (so the server may drop its
 * inflater's window between messages) or the server keeps no window (§7.1.1.2 lets it say so unasked); server_max_window_bits echoed when asked (§7.1.2.1), except 8,
 * which zlib's raw deflate cannot promise (it widens 8 to 9): that offer is declined when the
 * server compresses. client_max_window_bits is never limited (the server inflates any window).
 */
export function negotiateDeflate(offers: readonly ExtensionOffer[], config: DeflateConfig): DeflateAgreed | null {
  for (const offer of offers) {
    if (offer.name !== "permessage-deflate") continue;
    const agreed = acceptOffer(offer, config);
    if (agreed !== null) return agreed;
  }
  return null;
}

function acceptOffer(offer: ExtensionOffer, config: DeflateConfig): DeflateAgreed | null {
  const seen = new Set<string>();
  let serverNoContextTakeover = config.compress !== "dedicated";
  let clientNoContextTakeover = config.decompress !== "dedicated";
  let serverMaxWindowBits: number | null = null;
  for (const [key, value] of offer.params) {
    if (seen.has(key)) return null;
    seen.add(key);
    if (key === "server_no_context_takeover" || key === "client_no_context_takeover") {
      if (value !== null) return null;
      if (key === "server_no_context_takeover") serverNoContextTakeover = true;
      else clientNoContextTakeover = true;
    } else if (key === "server_max_window_bits") {
      if (value === null || !WINDOW_BITS.test(value)) return null;
      serverMaxWindowBits = Number(value);
    } else if (key === "client_max_window_bits") {
      if (value !== null && !WINDOW_BITS.test(value)) return null;
    } else return null;
  }
  const compress = config.compress !== "off";
  if (compress && serverMaxWindowBits === 8) return null;
  const answer = ["permessage-deflate"];
  if (serverNoContextTakeover) answer.push("server_no_context_takeover");
  if (clientNoContextTakeover) answer.push("client_no_context_takeover");
  if (serverMaxWindowBits !== null) answer.push(`server_max_window_bits=${serverMaxWindowBits}`);
  return {
    params: {
      serverNoContextTakeover,
      clientNoContextTakeover,
      serverMaxWindowBits: serverMaxWindowBits ?? 15,
      compress,
    },
    answer: answer.join("; "),
  };
}
