/** Waiting in tests: a pause, and polling a condition with a bound. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, every 20 ms, for at most `ms`; says whether it held. */
export async function until(check: () => boolean, ms: number): Promise<boolean> {
  const began = performance.now();
  while (!check()) {
    if (performance.now() - began > ms) return false;
    await sleep(20);
  }
  return true;
}
