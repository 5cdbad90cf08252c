/** The signals the program answers (SIGTERM, SIGUSR1 and SIGHUP only where the system has them). */
export type CliSignal = "SIGINT" | "SIGTERM" | "SIGUSR1" | "SIGHUP";

/** 128 + the signal's number, as a shell reports a process the signal ended. */
export const SIGNAL_EXIT: Readonly<Record<CliSignal, number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGUSR1: 138,
  SIGHUP: 129,
};
