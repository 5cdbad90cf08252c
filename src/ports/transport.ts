/**
 * Listening: each runtime adapter's transport.ts supplies a Transport, which hands the core a
 * Socket (./socket.ts) for each connection, plain or after its TLS handshake.
 */
import type { Socket } from "./socket.ts";

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /**
   * HTTPS (src/tls/): the adapter terminates TLS 1.2 and 1.3 with these credentials, announces
   * ALPN "http/1.1" (and "h2" first with `http2`), and gives the core the decrypted stream, so every byte above TLS still
   * comes from the core. Every adapter hands a Socket over once its handshake is done; one not
   * done by the handshake timeout is closed (socket and descriptor), and a failed handshake never
   * reaches the core. Absent: plain TCP.
   */
  readonly tls?: TlsListen;
  /**
   * --workers on Bun and Deno (src/workers/): SO_REUSEPORT, so that every worker listens on the
   * same port and Linux spreads new connections across them. Absent: the port is this listener's alone.
   */
  readonly reusePort?: boolean;
}

/** PEM text (RFC 7468), as read from the files; the certificate file may hold the chain after the leaf. */
export interface TlsCredentials {
  readonly cert: string;
  readonly key: string;
  /** For an encrypted private key; null when it is not. */
  readonly passphrase: string | null;
}

export interface TlsListen extends TlsCredentials {
  /** A handshake not done by then is abandoned and its socket closed (no slot, no descriptor kept). */
  readonly handshakeTimeoutMs: number;
  /** ALPN offers "h2" before "http/1.1" (RFC 7301, RFC 9113 §3.2), and each Socket says which was agreed. */
  readonly http2?: boolean;
}

/** Changing a listener's certificate: a value, the old one staying when the new one is refused. */
export type TlsChange = { readonly kind: "changed" } | { readonly kind: "failed"; readonly message: string };

export interface Listener {
  /** The port actually bound (differs from the requested one for port 0). */
  readonly port: number;
  close(): Promise<void>;
  /**
   * TLS listeners only: new handshakes use these credentials from now on, connections already
   * open keep theirs, and no connection is refused meanwhile. Refused credentials leave the old ones.
   */
  setTls?(credentials: TlsCredentials): Promise<TlsChange>;
}

/** Listening can fail in expected ways (port in use, bad address): a value, not an exception. */
export type ListenResult =
  | { readonly kind: "listening"; readonly listener: Listener }
  | { readonly kind: "failed"; readonly code: string; readonly message: string };

export interface Transport {
  listen(options: ListenOptions, onConnection: (connection: Socket) => void): Promise<ListenResult>;
}
