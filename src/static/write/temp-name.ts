/** Temporary files of uploads in progress: `.<name>.sundial-<random>.tmp`, in the target's folder. */
const TEMP = /^\..*\.sundial-[0-9a-f]{16}\.tmp$/;

/** Of the target's name, so long names still leave a temporary name within NAME_MAX (255 bytes). */
const NAME_PART = 64;

/** A fresh temporary name for a write to `name` (64 random bits: two writes never share one). */
export function tempName(name: string): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  let hex = "";
  for (const byte of random) hex += byte.toString(16).padStart(2, "0");
  return `.${name.slice(0, NAME_PART)}.sundial-${hex}.tmp`;
}

/** Whether a name is one of ours: never a target of a write, and removed at start if left behind. */
export function isTempName(name: string): boolean {
  return TEMP.test(name);
}
