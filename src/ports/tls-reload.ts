import type { TlsChange, TlsCredentials } from "./transport.ts";

/**
 * Adapter kit: a certificate reload (Listener.setTls) as one sequence, for adapters whose
 * runtime cannot change a listener's certificate in place. What credentials become is the
 * adapter's (Bun: a new listener bound beside the old one; Deno: a new secure context); the
 * order is this: make the new one, and if the runtime refuses it keep the old; else swap, so
 * that new handshakes get the new one, then retire the old (Bun: stop its accepting; open
 * connections keep theirs).
 */

/** What a set of credentials became, or why the runtime refused them. */
export type Prepared<T> = { readonly kind: "ready"; readonly value: T } | {
  readonly kind: "failed";
  readonly message: string;
};

export interface TlsReload<T> {
  /** The one in use: the first, or the last that was not refused. */
  current(): T;
  setTls(credentials: TlsCredentials): Promise<TlsChange>;
}

export function tlsReload<T>(
  first: T,
  prepare: (credentials: TlsCredentials) => Prepared<T>,
  retire: (old: T) => void = () => {},
): TlsReload<T> {
  let current = first;
  return {
    current: () => current,
    setTls: (credentials) => {
      const next = prepare(credentials);
      if (next.kind === "failed") return Promise.resolve({ kind: "failed", message: next.message });
      const old = current;
      current = next.value;
      retire(old);
      return Promise.resolve({ kind: "changed" });
    },
  };
}
