/** IMF-fixdate (RFC 9110 §5.6.7) of an instant, cached for the second it falls in. */
let cachedSecond = Number.NaN;
let cachedValue = "";

export function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    // Date.prototype.toUTCString produces exactly IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    cachedValue = new Date(second * 1000).toUTCString();
  }
  return cachedValue;
}
