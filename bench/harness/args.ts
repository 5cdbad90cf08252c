// The command line every bench takes.

export interface BenchArgs {
  readonly args: readonly string[];
  readonly quick: boolean;
  readonly rounds: number;
  readonly duration: number;
  /** --only=a,b: the servers to run (undefined: all). */
  readonly only: readonly string[] | undefined;
}

/** --quick, --rounds=N, --duration=S, --only=a,b (the same flags for both benches). */
export function parseArgs(args: readonly string[]): BenchArgs {
  const flag = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = args.includes("--quick");
  return {
    args,
    quick,
    rounds: Number(flag("rounds") ?? (quick ? 1 : 3)),
    duration: Number(flag("duration") ?? (quick ? 1 : 5)),
    only: flag("only")?.split(","),
  };
}
