import { INTEGER_TRUNCATED } from "./integer.ts";

/** A field as decoded: its name and value exactly as sent, each octet one char (latin1). */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
  /**
   * Sent as a literal never indexed (RFC 7541 §6.2.3): whoever encodes it again (a proxy, our
   * encoder) must keep it never indexed (§7.1.3).
   */
  readonly sensitive: boolean;
}

/**
 * The block cannot be decoded: a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3), since
 * the dynamic table is now out of step with the peer's.
 */
export interface CompressionError {
  readonly kind: "compression-error";
  readonly reason: string;
}

/**
 * The block decoded, but its field list is over a limit (RFC 9113 §8.2.1, §10.5.1): the stream is
 * refused (431 or RST_STREAM), the connection goes on, and the table is in step (the whole block
 * was decoded; its fields were dropped). The sizes are the whole list's, each field counted as
 * name + value + 32 octets (RFC 9113 §6.5.2, RFC 7541 §4.1).
 */
export interface HeaderListTooLarge {
  readonly kind: "too-large";
  /** The limit the list broke first. */
  readonly limit: "max-header-list-size" | "max-fields";
  readonly listSize: number;
  readonly fieldCount: number;
}

export type DecodeResult =
  | { readonly kind: "fields"; readonly fields: HeaderField[] }
  | CompressionError
  | HeaderListTooLarge;

export function compressionError(reason: string): CompressionError {
  return { kind: "compression-error", reason };
}

/** The failure for decodeInteger()'s INTEGER_TRUNCATED or INTEGER_TOO_LARGE, naming what was read. */
export function integerFailure(code: number, what: string): CompressionError {
  return compressionError(
    code === INTEGER_TRUNCATED
      ? `the block ends inside ${what}`
      : `${what} over 2^31-1 or longer than 5 continuation octets (§5.1)`,
  );
}
