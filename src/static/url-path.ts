/** The parts of a request-target the server routes on (RFC 9112 §3.2). */
export interface Target {
  readonly kind: "target";
  readonly form: "origin" | "absolute" | "asterisk" | "authority";
  /** The path exactly as sent (still percent-encoded); "/" for an empty absolute-form path. */
  readonly rawPath: string;
  /** The query without "?", or null when there was none. */
  readonly query: string | null;
}

/** A request-target or URL path refused: 400, with a reason named like llhttp's errors. */
export interface Refused {
  readonly kind: "refused";
  readonly status: 400;
  readonly code: "INVALID_URL" | "INVALID_PATH";
  readonly message: string;
}

function refused(code: Refused["code"], message: string): Refused {
  return { kind: "refused", status: 400, code, message };
}

/** RFC 9112 §3.2.2: absolute-form for an origin server means an http or https URI. */
const SCHEME = /^https?:\/\//i;

/** Splits a request-target into its form, path and query. */
export function parseTarget(target: string, method: string): Target | Refused {
  if (target === "*") {
    // §3.2.4: asterisk-form only for a server-wide OPTIONS.
    if (method !== "OPTIONS") return refused("INVALID_URL", "asterisk-form is only for OPTIONS");
    return { kind: "target", form: "asterisk", rawPath: "*", query: null };
  }
  if (method === "CONNECT") {
    // §3.2.3: authority-form (host:port), only for CONNECT.
    if (!/^[^/?@]+:[0-9]+$/.test(target)) return refused("INVALID_URL", "CONNECT needs host:port");
    return { kind: "target", form: "authority", rawPath: target, query: null };
  }
  if (target.charCodeAt(0) === 0x2f) {
    const q = target.indexOf("?");
    if (q < 0) return { kind: "target", form: "origin", rawPath: target, query: null };
    return { kind: "target", form: "origin", rawPath: target.slice(0, q), query: target.slice(q + 1) };
  }
  const scheme = SCHEME.exec(target);
  if (scheme !== null) {
    // §3.2.2: a server MUST accept absolute-form; the authority is ignored (one site).
    const rest = target.slice(scheme[0].length);
    const pathAt = rest.search(/[/?]/);
    const authority = pathAt < 0 ? rest : rest.slice(0, pathAt);
    if (authority === "") return refused("INVALID_URL", "absolute-form without authority");
    // RFC 9110 §4.2.4: userinfo in an http(s) URI is to be treated as an error.
    if (authority.includes("@")) return refused("INVALID_URL", "userinfo in request-target");
    const pathAndQuery = pathAt < 0 ? "/" : rest[pathAt] === "?" ? `/${rest.slice(pathAt)}` : rest.slice(pathAt);
    return { kind: "target", form: "absolute", ...splitQuery(pathAndQuery) };
  }
  return refused("INVALID_URL", "request-target is not a path");
}

function splitQuery(pathAndQuery: string): { rawPath: string; query: string | null } {
  const q = pathAndQuery.indexOf("?");
  if (q < 0) return { rawPath: pathAndQuery, query: null };
  return { rawPath: pathAndQuery.slice(0, q), query: pathAndQuery.slice(q + 1) };
}

/** A URL path made safe: decoded segments with "." and ".." resolved, never above the root. */
export interface SafePath {
  readonly kind: "path";
  readonly segments: readonly string[];
  /** The path ended in "/" (after resolution), so it names a directory. */
  readonly trailingSlash: boolean;
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes a path once and resolves dot-segments (RFC 3986 §5.2.4), refusing what could
 * escape the root or confuse a file system: bad percent-encoding, invalid UTF-8, NUL,
 * backslash, an encoded "/" inside a segment, and ".." above the root.
 */
export function resolveUrlPath(rawPath: string): SafePath | Refused {
  const segments: string[] = [];
  const parts = rawPath.split("/");
  let trailingSlash = false;
  for (let i = 1; i < parts.length; i++) {
    const decoded = percentDecode(parts[i]!);
    if (decoded === null) return refused("INVALID_PATH", "bad percent-encoding in path");
    if (decoded.includes("\0") || decoded.includes("\\")) return refused("INVALID_PATH", "NUL or backslash in path");
    if (decoded.includes("/")) return refused("INVALID_PATH", "encoded slash in path");
    const last = i === parts.length - 1;
    if (decoded === "" || decoded === ".") {
      trailingSlash = last;
    } else if (decoded === "..") {
      if (segments.length === 0) return refused("INVALID_PATH", "path climbs above the root");
      segments.pop();
      trailingSlash = last;
    } else {
      segments.push(decoded);
      trailingSlash = false;
    }
  }
  return { kind: "path", segments, trailingSlash: trailingSlash || segments.length === 0 };
}

function percentDecode(segment: string): string | null {
  if (!segment.includes("%")) return segment;
  const bytes = new Uint8Array(segment.length);
  let n = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== 0x25) {
      bytes[n++] = c;
      continue;
    }
    const hex = segment.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    bytes[n++] = parseInt(hex, 16);
    i += 2;
  }
  try {
    return utf8Decoder.decode(bytes.subarray(0, n));
  } catch {
    return null;
  }
}

/** Percent-encodes a decoded segment for use in a URL (a Location header, a link). */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
