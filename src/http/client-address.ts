/** What the core knows of a client's address. */

/** 127.0.0.0/8 and ::1 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3), as the connection shows them (mapped IPv4 already plain). */
export function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}

/** The peer's address as people write it: an IPv4-mapped IPv6 address as plain IPv4. */
export function clientAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
