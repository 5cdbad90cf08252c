/** RFC 867 Daytime and RFC 868 Time on raw TCP, for the ports asked for. */
import type { Clock } from "../ports/clock.ts";
import type { RawService } from "../server/server.ts";
import { answerTimeService, type TimeService } from "../time/services.ts";

export function timeServices(daytimePort: number | null, timePort: number | null, clock: Clock): RawService[] {
  const wanted: Array<[TimeService, number | null]> = [["daytime", daytimePort], ["time", timePort]];
  return wanted.flatMap(([name, port]) =>
    port === null ? [] : [{ name, port, answer: (socket) => answerTimeService(name, socket, clock) }]
  );
}
