import { TARGET_CHAR, TCHAR } from "../http/chars.ts";
import { type BodyFraming, isValidHost, type RequestHead } from "../http/parser/request-head.ts";
import { emptyFields, fillField, type RequestFields } from "../http/request-fields.ts";
import { regularFieldProblem, validFieldValue } from "./field-checks.ts";
import type { HeaderField } from "./hpack/decode-result.ts";

/**
 * What a request's decoded field section makes (RFC 9113 §8.3): a request for the app; a
 * well-formed CONNECT (§8.5), which this server does not tunnel (the session answers it 501); or
 * a malformed request (§8.1.1: a stream error PROTOCOL_ERROR).
 */
export type RequestMapping =
  | { readonly kind: "request"; readonly head: RequestHead }
  | { readonly kind: "connect"; readonly head: RequestHead }
  | Malformed;

export interface Malformed {
  readonly kind: "malformed";
  readonly reason: string;
}

/** §8.3.1: the request pseudo-header fields, each at most once. */
interface Pseudo {
  method: string | null;
  scheme: string | null;
  path: string | null;
  authority: string | null;
}

/** The regular fields as the head carries them: cookie crumbs joined (§8.2.3), slots filled. */
interface Regular {
  readonly headers: Array<readonly [string, string]>;
  readonly fields: RequestFields;
}

/**
 * Maps a decoded field section to a request head (§8.3.1): pseudo-headers first, known, once
 * each, never a response's (§8.3); regular fields valid (§8.2); :method, :scheme and :path
 * present (CONNECT: :authority alone, §8.5); :path "/..." or, for OPTIONS, "*"; :authority (or
 * Host, and the two alike) valid and, for http and https, present; content-length digits.
 * `endStream`: the HEADERS ended the stream (no body).
 */
export function mapRequest(fields: readonly HeaderField[], endStream: boolean): RequestMapping {
  const pseudo = readPseudo(fields);
  if ("kind" in pseudo) return pseudo;
  const regular = readRegular(fields, pseudo.count);
  if ("kind" in regular) return regular;
  const { method } = pseudo.values;
  if (method === null || !isToken(method)) return malformed("a missing or invalid :method");
  const host = hostOf(pseudo.values, regular.fields);
  if (typeof host !== "string" && host !== null) return host;
  const body = framing(regular.fields, endStream);
  if (body.kind === "malformed") return body;
  if (method === "CONNECT") return mapConnect(pseudo.values, regular, host, body);
  const target = checkTarget(pseudo.values, method, host);
  if (typeof target !== "string") return target;
  return { kind: "request", head: head(method, target, regular, host, body) };
}

/**
 * §8.3, §8.3.1: the leading pseudo-header fields, or why they are malformed: one not defined
 * for requests (:status included), one twice, an invalid value. `count`: how many there were.
 */
function readPseudo(fields: readonly HeaderField[]): { values: Pseudo; count: number } | Malformed {
  const values: Pseudo = { method: null, scheme: null, path: null, authority: null };
  let i = 0;
  for (; i < fields.length && fields[i]!.name.startsWith(":"); i++) {
    const { name, value } = fields[i]!;
    const key = PSEUDO_KEYS.get(name);
    if (key === undefined) return malformed(`the pseudo-header field ${name === ":status" ? name : "unknown"}`);
    if (values[key] !== null) return malformed(`${name} twice`);
    if (!validFieldValue(value)) return malformed(`an invalid ${name}`);
    values[key] = value;
  }
  return { values, count: i };
}

const PSEUDO_KEYS: ReadonlyMap<string, keyof Pseudo> = new Map([
  [":method", "method"],
  [":scheme", "scheme"],
  [":path", "path"],
  [":authority", "authority"],
]);

/** The regular fields after the pseudo-headers (§8.3: none of those may follow), or why they are malformed. */
function readRegular(fields: readonly HeaderField[], from: number): Regular | Malformed {
  const headers: Array<readonly [string, string]> = [];
  let cookieAt = -1;
  for (let i = from; i < fields.length; i++) {
    const { name, value } = fields[i]!;
    if (name.startsWith(":")) return malformed("a pseudo-header field after a regular field");
    const problem = regularFieldProblem(name, value);
    if (problem !== null) return malformed(problem);
    if (name !== "cookie") headers.push([name, value]);
    else if (cookieAt < 0) {
      cookieAt = headers.length;
      headers.push([name, value]);
    } else headers[cookieAt] = [name, `${headers[cookieAt]![1]}; ${value}`]; // §8.2.3
  }
  const slots = emptyFields();
  for (const [name, value] of headers) {
    if (fillField(slots, name, value) !== null) return malformed(`more than one ${name} field`);
  }
  return { headers, fields: slots };
}

/**
 * §8.3.1: the request's host: :authority, else Host; both present must name the same; present
 * ones must be valid (RFC 9110 §7.2, no userinfo); null when neither is.
 */
function hostOf(pseudo: Pseudo, fields: RequestFields): string | null | Malformed {
  const authority = pseudo.authority;
  const host = fields.host ?? null;
  if (authority !== null && !isValidHost(authority)) return malformed("an invalid :authority");
  if (host !== null && !isValidHost(host)) return malformed("an invalid Host field");
  if (authority !== null && host !== null && authority.toLowerCase() !== host.toLowerCase()) {
    return malformed("Host and :authority differ");
  }
  if (authority !== null && host === null) fillField(fields, "host", authority);
  return authority ?? host;
}

/** §8.1, §8.1.1: no body after END_STREAM; else content-length (digits only) or none declared. */
function framing(fields: RequestFields, endStream: boolean): BodyFraming | Malformed {
  const length = fields["content-length"];
  if (length !== undefined && !/^[0-9]{1,15}$/.test(length)) return malformed("an invalid content-length");
  if (endStream) {
    // §8.1.1: the DATA frames' total (none here) must equal a content-length.
    return length === undefined || Number(length) === 0 ? NONE : malformed(`no body but a content-length of ${length}`);
  }
  return length === undefined ? UNDECLARED : { kind: "length", length: Number(length) };
}

const NONE: BodyFraming = { kind: "none" };
const UNDECLARED: BodyFraming = { kind: "chunked" };

/** §8.5: CONNECT carries :authority alone (no :scheme, no :path; :protocol is RFC 8441's, not offered). */
function mapConnect(pseudo: Pseudo, regular: Regular, host: string | null, body: BodyFraming): RequestMapping {
  if (pseudo.scheme !== null || pseudo.path !== null) return malformed("CONNECT with :scheme or :path");
  if (pseudo.authority === null || host === null) return malformed("CONNECT without :authority");
  return { kind: "connect", head: head("CONNECT", pseudo.authority, regular, host, body) };
}

/**
 * §8.3.1: :scheme and :path present; :path "*" for OPTIONS alone, else starting with "/", in
 * the request-target's characters (as the HTTP/1.1 parser); http and https need a host.
 */
function checkTarget(pseudo: Pseudo, method: string, host: string | null): string | Malformed {
  const { scheme, path } = pseudo;
  if (scheme === null || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme)) return malformed("a missing or invalid :scheme");
  if (path === null || path === "") return malformed("a missing or empty :path");
  if (path === "*" ? method !== "OPTIONS" : !path.startsWith("/") || !isTarget(path)) {
    return malformed("an invalid :path");
  }
  const needsHost = scheme === "http" || scheme === "https";
  if (needsHost && (host === null || host === "")) return malformed("an http(s) request without :authority or Host");
  return path;
}

function head(method: string, target: string, regular: Regular, host: string | null, body: BodyFraming): RequestHead {
  return {
    method,
    target,
    version: "2.0",
    headers: regular.headers,
    fields: regular.fields,
    host,
    body,
    keepAlive: true,
    expectContinue: false,
  };
}

function malformed(reason: string): Malformed {
  return { kind: "malformed", reason };
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (TCHAR[s.charCodeAt(i)] !== 1) return false;
  return true;
}

function isTarget(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (TARGET_CHAR[s.charCodeAt(i)] !== 1) return false;
  return true;
}
