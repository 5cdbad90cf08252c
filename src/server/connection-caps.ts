import type { HttpConnection } from "../connection/connection.ts";
import type { ServerObserver } from "../connection/observer.ts";
import { isLoopback } from "../http/client-address.ts";
import { isTrusted, type TrustList } from "../proxy/trust-list.ts";
import { type AddressCount, evictOne } from "./eviction.ts";

/** The caps (ServerOptions' maxConnections and maxConnectionsPerIp: 0, none). */
export interface Caps {
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
}

/**
 * The connections open now, each counted under its client address, and the two caps on them:
 * the server's (at it, one cheap to lose makes room: eviction.ts) and the per-address one.
 */
export class ConnectionCaps {
  /** Every connection, with the count of its address's connections. */
  readonly connections = new Map<HttpConnection, AddressCount>();
  private readonly perAddress = new Map<string, AddressCount>();

  constructor(
    private readonly caps: Caps,
    /** Addresses the per-address cap leaves alone (capExempt). */
    private readonly exempt: (address: string) => boolean,
    private readonly observer?: ServerObserver,
  ) {}

  /** Whether a new connection from the address may be served: under its address's cap, and under the server's or once one has made room. */
  admit(address: string): boolean {
    if (this.overAddressCap(address)) return false;
    return this.connections.size < this.caps.maxConnections || evictOne(this.connections, this.release);
  }

  /** Counts the connection `open` makes under its address (after admit). */
  add(address: string, open: () => HttpConnection): void {
    // Looked up after admit: an eviction may have closed this address's last connection.
    let count = this.perAddress.get(address);
    if (count === undefined) this.perAddress.set(address, count = { address, connections: 0 });
    count.connections++;
    this.observer?.connection?.(true);
    this.connections.set(open(), count);
  }

  /** Forgets a connection (once, whether it closed or was evicted). */
  readonly release = (connection: HttpConnection): void => {
    const count = this.connections.get(connection);
    if (count === undefined) return;
    this.connections.delete(connection);
    this.observer?.connection?.(false);
    // Released under the address it was taken under, not the client a PROXY header named since.
    if (--count.connections === 0) this.perAddress.delete(count.address);
  };

  private overAddressCap(address: string): boolean {
    const cap = this.caps.maxConnectionsPerIp;
    const count = this.perAddress.get(address);
    return cap > 0 && count !== undefined && count.connections >= cap && !this.exempt(address);
  }
}

/** Who the per-address cap leaves alone: loopback peers unless capLoopback, and trusted proxies. */
export function capExempt(capLoopback: boolean, trust: TrustList | null): (address: string) => boolean {
  return (address) => (!capLoopback && isLoopback(address)) || (trust !== null && isTrusted(trust, address));
}
