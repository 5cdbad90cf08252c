/** The one wording of a listener that could not be bound, for every listener and both doors. */
export function listenFailure(code: string, host: string, port: number, message: string, portHint: string): string {
  const where = `${host === "" ? "" : `${host}:`}${port}`;
  if (code === "EADDRINUSE") {
    return `port ${port} is already in use (${portHint})`;
  }
  if (code === "EACCES") return `no permission to listen on ${where} (ports below 1024 need privileges)`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return `cannot listen on ${where}: address not available on this machine`;
  }
  return `cannot listen on ${where}: ${message}`;
}
