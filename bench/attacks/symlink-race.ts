// bun bench/attacks/symlink-race.ts [REPO] [SECONDS]: the symlink race of issue 12 (a folder
// swapped with a symlink to the outside by renameat2 RENAME_EXCHANGE) against node, deno and bun
// of REPO (default: this checkout), with the defaults, --cache-ttl 0 and --no-symlinks; prints
// the leaks. Linux and python3 only.
import { startSundial } from "../../test/support/server-process.ts";
import { createRaceFixture, runRace } from "../../test/support/symlink-race.ts";
import { runForms } from "./targets.ts";

const [repo, seconds = "4"] = process.argv.slice(2);
for (const flags of [[], ["--cache-ttl", "0"], ["--no-symlinks"]]) {
  for (const target of runForms(repo)) {
    const fixture = createRaceFixture();
    const server = await startSundial(target, [fixture.root, ...flags]);
    const r = await runRace(server.port, fixture, Number(seconds));
    console.log(
      `${target.name} ${
        flags.join(" ") || "(defaults)"
      }: ${r.leaks} leaks in ${r.responses} responses, ${r.swaps} swaps, statuses ${JSON.stringify(r.statuses)}`,
    );
    await server.stop();
    fixture.remove();
  }
}
