/** The product version; `package.json` and `deno.json` carry the same string (a unit test checks). */
export const VERSION = "0.1.0";

/** Value of the `Server` response header (RFC 9110 §10.2.4). */
export const SERVER_HEADER = `sundial/${VERSION}`;
