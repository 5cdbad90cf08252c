import type { Forwarding } from "../app.ts";
import type { ForwardingLookup } from "../connection/observer.ts";
import { forwardedView } from "../proxy/forwarded.ts";
import type { TrustList } from "../proxy/trust-list.ts";

/**
 * What a trusted proxy says of each request (src/proxy/forwarded.ts) as the connection gives it to
 * the app: the client it names (with no port: the proxy does not say one; the peer's own when it
 * named the peer), and the scheme, host and prefix the client used.
 */
export function forwardingLookup(trust: TrustList): ForwardingLookup {
  return (peer, head): Forwarding | null => {
    const view = forwardedView(peer.address, head.headers, trust);
    if (view === null) return null;
    const client = view.client === peer.address ? peer : { address: view.client, port: 0 };
    return { client, scheme: view.scheme, host: view.host, prefix: view.prefix };
  };
}
