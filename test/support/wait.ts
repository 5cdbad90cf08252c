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

/** Waits until `text()` holds a line matching `pattern`, every 50 ms, for at most `ms`; throws naming `what` if none came. */
export async function lineMatching(text: () => string, pattern: RegExp, ms: number, what: string): Promise<string> {
  let line: string | undefined;
  await until(() => (line = text().split("\n").find((l) => pattern.test(l))) !== undefined, ms);
  if (line === undefined) throw new Error(`no ${what} line matching ${pattern} in:\n${text()}`);
  return line;
}
