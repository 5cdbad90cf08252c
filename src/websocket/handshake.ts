import { errorResponse } from "../http/error-page.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import { fieldLines, type HttpResponse, utf8 } from "../http/response.ts";

/** What a request asks for, as an opening handshake (RFC 6455 §4.2.1). */
export type HandshakeCheck =
  /** A valid opening handshake: the key to answer. */
  | { readonly kind: "valid"; readonly key: string }
  /** A WebSocket request of a version this server does not speak: 426 with the one it does (§4.4). */
  | { readonly kind: "wrong-version" }
  /** Not a valid opening handshake (the app answers it as any request). */
  | { readonly kind: "invalid"; readonly reason: string };

/** The one version this server speaks (§4.1: 13). */
export const WEBSOCKET_VERSION = "13";

/** §1.3: the GUID appended to the key before hashing. */
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/**
 * Checks a request against §4.2.1: a GET (1) of HTTP/1.1 or later with a Host (2; the parser
 * refuses 1.1 without one), an Upgrade field listing "websocket" (3), a Connection field listing
 * "Upgrade" (4), a Sec-WebSocket-Key of 16 bytes in base64 (5), and Sec-WebSocket-Version 13 (6,
 * else §4.4's 426). A request with a body is no handshake either: its bytes would be read as frames.
 */
export function checkHandshake(head: RequestHead): HandshakeCheck {
  if (head.method !== "GET") return invalid("not a GET");
  if (head.version !== "1.1") return invalid("not HTTP/1.1");
  if (head.body.kind !== "none") return invalid("a request with a body");
  if (!hasToken(fieldValues(head, "upgrade"), "websocket")) return invalid("no Upgrade: websocket");
  if (!hasToken([head.fields.connection ?? ""], "upgrade")) return invalid("no Connection: Upgrade");
  const versions = fieldValues(head, "sec-websocket-version");
  if (versions.length !== 1 || versions[0] !== WEBSOCKET_VERSION) return { kind: "wrong-version" };
  const keys = fieldValues(head, "sec-websocket-key");
  if (keys.length !== 1 || !isKey(keys[0]!)) return invalid("Sec-WebSocket-Key is not 16 bytes in base64");
  return { kind: "valid", key: keys[0]! };
}

function invalid(reason: string): HandshakeCheck {
  return { kind: "invalid", reason };
}

/** Every value of a field (names are lower case in the head). */
export function fieldValues(head: RequestHead, name: string): string[] {
  const values: string[] = [];
  for (const [n, v] of head.headers) if (n === name) values.push(v);
  return values;
}

/** Whether comma-separated lists (RFC 9110 §5.6.1) hold a token, compared case-insensitively. */
function hasToken(values: readonly string[], token: string): boolean {
  for (const value of values) {
    for (const item of value.split(",")) if (item.trim().toLowerCase() === token) return true;
  }
  return false;
}

/** 16 bytes in base64 are 22 characters and "==" (§4.1 item 7). */
const KEY = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

function isKey(value: string): boolean {
  return KEY.test(value);
}

/** §4.2.2 item 5.4: base64 of SHA-1 of the key and the GUID. */
export async function acceptValue(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(key + GUID)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Fields the server sets on the 101 itself: an app's own values for them are dropped. */
const SERVER_FIELDS: ReadonlySet<string> = new Set([
  "upgrade",
  "connection",
  "sec-websocket-accept",
  "sec-websocket-extensions",
  "content-length",
  "transfer-encoding",
  "date",
]);

/** The app's fields for the 101, without those the server sets. */
export function appFields(headers: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  return headers.filter(([name]) => !SERVER_FIELDS.has(name.toLowerCase()));
}

/**
 * §4.2.2 item 5: the 101 that completes the handshake; `common` are the server's own field lines,
 * `extensions` the Sec-WebSocket-Extensions answer (§9.1) when an extension was agreed on.
 */
export function switchingHead(
  accept: string,
  headers: ReadonlyArray<readonly [string, string]>,
  date: string,
  common: string,
  extensions: string | null = null,
): Uint8Array {
  const agreed = extensions === null ? "" : `Sec-WebSocket-Extensions: ${extensions}\r\n`;
  return utf8(
    `HTTP/1.1 101 Switching Protocols\r\nDate: ${date}\r\n${common}` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${agreed}` +
      `${fieldLines(appFields(headers))}\r\n`,
  );
}

/** §4.4: a version not spoken is answered 426 naming the one that is; the connection then closes (as Bun's does). */
export function wrongVersion(): HttpResponse {
  return errorResponse(426, [["Sec-WebSocket-Version", WEBSOCKET_VERSION]], true);
}
