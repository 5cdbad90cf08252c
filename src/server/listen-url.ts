/** How a listening address is shown to people (the CLI's "Local:" line, serve()'s url). */

/** "" (both stacks), 0.0.0.0 and :: listen on every interface. */
export function isEveryInterface(host: string): boolean {
  return host === "" || host === "0.0.0.0" || host === "::";
}

/** http://host:port/ (or https), an IPv6 address in brackets (RFC 3986 §3.2.2). */
export function httpUrl(host: string, port: number, scheme: "http" | "https" = "http"): string {
  return `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}
