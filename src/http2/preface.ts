/** RFC 9113 §3.4: the client connection preface, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (24 bytes). */
export const CLIENT_PREFACE: Uint8Array = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/**
 * What the first bytes of a connection are: not yet known, the preface (the bytes after it in
 * the last piece are `rest`: the first frames), or not the preface (`bytes`: everything
 * received so far, for HTTP/1.1 to read from the start).
 */
export type PrefaceOutcome =
  | { readonly kind: "incomplete" }
  | { readonly kind: "preface"; readonly rest: Uint8Array }
  | { readonly kind: "not-preface"; readonly bytes: Uint8Array };

const INCOMPLETE = { kind: "incomplete" } as const;

/**
 * Matches the client preface (§3.4) from pieces of input, answering at the first byte that
 * differs: a connection with prior knowledge of HTTP/2 (§3.3) starts with it, an HTTP/1.1 one
 * does not, and HTTP/1.1 must not wait for 24 bytes to learn so. It keeps no input: the bytes
 * matched so far are the preface's own. `rest` may be a view of the last piece.
 */
export class PrefaceMatcher {
  private matched = 0;
  private decided: "preface" | "not-preface" | null = null;

  feed(chunk: Uint8Array): PrefaceOutcome {
    if (this.decided === "preface") return { kind: "preface", rest: chunk };
    if (this.decided === "not-preface") return { kind: "not-preface", bytes: chunk };
    const from = this.matched;
    const take = Math.min(CLIENT_PREFACE.length - from, chunk.length);
    for (let i = 0; i < take; i++) {
      if (chunk[i] !== CLIENT_PREFACE[from + i]) return this.notPreface(chunk);
    }
    this.matched += take;
    if (this.matched < CLIENT_PREFACE.length) return INCOMPLETE;
    this.decided = "preface";
    return { kind: "preface", rest: chunk.subarray(take) };
  }

  /** Everything received: the preface's first bytes matched in earlier pieces, then this piece. */
  private notPreface(chunk: Uint8Array): PrefaceOutcome {
    this.decided = "not-preface";
    if (this.matched === 0) return { kind: "not-preface", bytes: chunk };
    const bytes = new Uint8Array(this.matched + chunk.length);
    bytes.set(CLIENT_PREFACE.subarray(0, this.matched));
    bytes.set(chunk, this.matched);
    return { kind: "not-preface", bytes };
  }
}
