/**
 * Temporary files of uploads in progress: `.<name>.sundial-<pid>-<random>.tmp`, in the target's
 * folder. The writing process's id is in the name so that a supervisor of --workers can remove
 * the temporaries of a worker that died (stale-temps.ts) without touching a live worker's.
 */
const TEMP = /^\..*\.sundial-([0-9]{1,10})-[0-9a-f]{16}\.tmp$/;

/** Of the target's name, so long names still leave a temporary name within NAME_MAX (255 bytes). */
const NAME_PART = 64;

/** A fresh temporary name for a write to `name` by process `writer` (64 random bits: two writes never share one). */
export function tempName(name: string, writer: number): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  let hex = "";
  for (const byte of random) hex += byte.toString(16).padStart(2, "0");
  return `.${name.slice(0, NAME_PART)}.sundial-${writer}-${hex}.tmp`;
}

/** Whether a name is one of ours: never a target of a write, and removed at start if left behind. */
export function isTempName(name: string): boolean {
  return TEMP.test(name);
}

/** The id of the process that wrote a temporary, or null when the name is not one. */
export function tempWriter(name: string): number | null {
  const match = TEMP.exec(name);
  return match === null ? null : Number(match[1]);
}
