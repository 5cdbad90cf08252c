/**
 * What a server must do under each HTTP/2 attack (h2-attacks.ts), as values the attack part
 * (test/e2e/parts/http2-attack-tests.ts) checks: sundial's bounds, which hold it to the limits
 * it is to have, and a reference server's, pinned from what it does. A bound that is a
 * `sundialOnly` reason names a limit the reference does not have: that attack is reported as
 * skipped with the reason when run against it.
 */

/** A reset flood (Rapid Reset, MadeYouReset) ends with a GOAWAY of one of these codes, the server having taken at most maxStreams streams. */
export interface ResetBound {
  readonly codes: readonly string[];
  readonly maxStreams: number;
}

export interface SundialOnly {
  readonly sundialOnly: string;
}

export interface H2AttackBounds {
  readonly rapidReset: ResetBound | SundialOnly;
  /** MadeYouReset by WINDOW_UPDATE 0 on each stream (a stream error the server sends itself). */
  readonly madeYouResetWindow: ResetBound | SundialOnly;
  /** MadeYouReset by DATA after END_STREAM on each stream. */
  readonly madeYouResetData: ResetBound | SundialOnly;
  /** An open field block of at most maxOctets, then a GOAWAY of one of the codes (or the close). */
  readonly continuation: { readonly maxOctets: number; readonly codes: readonly string[] } | SundialOnly;
  /** The header list bomb's stream refused: what the outcome may be ("RST_STREAM ...", "status 431", "GOAWAY ..."). */
  readonly headerBomb: { readonly outcome: RegExp } | SundialOnly;
  /** Unread SETTINGS ACKs: the connection ends before maxFrames SETTINGS. */
  readonly settingsFlood: { readonly maxFrames: number } | SundialOnly;
  /** Unread PING ACKs: the connection ends before maxFrames PINGs. */
  readonly pingFlood: { readonly maxFrames: number } | SundialOnly;
  /**
   * A stream held at a zero window: given up after holdS (the server started with that timeout),
   * by closing the connection or resetting the stream.
   */
  readonly zeroWindow: { readonly holdS: number; readonly outcome: "closed" | "reset" } | SundialOnly;
  /** 1,000 connections of 100 streams each: all answered, peak RSS up by at most peakGrowthMiB. */
  readonly manyConnections: { readonly peakGrowthMiB: number } | SundialOnly;
  /** What any one of the other attacks may add to the server's peak RSS (MiB). */
  readonly attackGrowthMiB: number;
}

export function isSundialOnly<T extends object>(bound: T | SundialOnly): bound is SundialOnly {
  return "sundialOnly" in bound;
}

/**
 * sundial's bounds: a reset flood ends in ENHANCE_YOUR_CALM within 1,000 streams; a field block
 * is refused before 64 KiB; unread acknowledgements end the connection well before a million
 * frames; a stream at a zero window is given up after 30 s (the default; the attack suite starts
 * the server with a shorter one through H2StartOptions); 1,000 connections of 100 streams within
 * 150 MiB, the bound the attack suite already holds 1,000 slow readers to.
 */
export const SUNDIAL_H2_BOUNDS: H2AttackBounds = {
  rapidReset: { codes: ["ENHANCE_YOUR_CALM"], maxStreams: 1000 },
  madeYouResetWindow: { codes: ["ENHANCE_YOUR_CALM"], maxStreams: 1000 },
  madeYouResetData: { codes: ["ENHANCE_YOUR_CALM"], maxStreams: 1000 },
  continuation: { maxOctets: 64 * 1024, codes: ["ENHANCE_YOUR_CALM", "PROTOCOL_ERROR", "COMPRESSION_ERROR"] },
  headerBomb: {
    outcome: /^(RST_STREAM (REFUSED_STREAM|PROTOCOL_ERROR|ENHANCE_YOUR_CALM)|status 431|GOAWAY ENHANCE_YOUR_CALM)$/,
  },
  settingsFlood: { maxFrames: 1_000_000 },
  pingFlood: { maxFrames: 1_000_000 },
  zeroWindow: { holdS: 30, outcome: "closed" },
  manyConnections: { peakGrowthMiB: 150 },
  attackGrowthMiB: 64,
};
