import type { HttpConnection } from "../connection/connection.ts";

/** How many connections one client address has open (shared by its connections' entries). */
export interface AddressCount {
  /** The address the connections were counted under (a PROXY header may later name another client). */
  readonly address: string;
  connections: number;
}

/**
 * At the connection cap, makes room as nginx reuses connections: closes the connection that is
 * cheapest to lose (src/connection/phase.ts EvictionClass: lingering, then idle, then still
 * sending its request, then waiting for its app, then only just connected); within a class, one
 * from the address holding the most connections, and of those the one quiet longest. The
 * address comes before age because under a flood every idle place is young: a client whose
 * request the server has not read yet looks as idle as an attacker's silent connection, and the
 * flood's addresses hold many connections where a client holds few. Scans every connection, but
 * only at the cap. False when every connection is writing its response.
 */
export function evictOne(
  connections: ReadonlyMap<HttpConnection, AddressCount>,
  release: (connection: HttpConnection) => void,
): boolean {
  let victim: HttpConnection | null = null;
  let victimClass = Number.POSITIVE_INFINITY;
  let victimLoad = 0;
  let victimSince = Number.POSITIVE_INFINITY;
  for (const [connection, count] of connections) {
    const evictionClass = connection.evictionClass;
    if (evictionClass === null || evictionClass > victimClass) continue;
    const load = count.connections;
    if (evictionClass === victimClass && load < victimLoad) continue;
    const since = connection.quietSince;
    if (evictionClass < victimClass || load > victimLoad || since < victimSince) {
      victim = connection;
      victimClass = evictionClass;
      victimLoad = load;
      victimSince = since;
    }
  }
  if (victim === null) return false;
  release(victim);
  victim.evict();
  return true;
}
