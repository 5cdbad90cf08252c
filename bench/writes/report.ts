// The writes bench's report (bench/writes/run.ts): uploads, archives, the rates' spread over rounds,
// ratios to peers measured in the same round, server CPU per GB or per request, peak RSS; written
// as its own section of the file the other benches write.
import { reportFile, spread, WRITES_SECTION, writeSection } from "../harness/report.ts";
import { REPO } from "../harness/repo.ts";
import type { Outcome } from "./cases.ts";
import { LABELS, WRITE_SERVERS } from "./servers.ts";

/** Each case, and whether it moves bytes (MB/s, CPU s/GB) or counts requests (req/s, CPU µs/request). */
export const CASES = {
  "PUT 256 MiB": "bytes",
  "PUT 4 KiB c1": "requests",
  "PUT 4 KiB c16": "requests",
  "tar": "bytes",
  "zip": "bytes",
  "tar.gz": "bytes",
  "static file": "bytes",
  "tar | cat": "bytes",
  "tar | gzip -6": "bytes",
} as const;
export type CaseId = keyof typeof CASES;

export interface WriteSample {
  readonly server: string;
  readonly case: CaseId;
  readonly round: number;
  readonly outcome: Outcome;
}

export interface WritesReportInput {
  readonly quick: boolean;
  readonly began: Date;
  readonly rounds: number;
  readonly duration: number;
  readonly capSeconds: number;
  readonly gzipBytes: number;
  readonly servers: readonly string[];
  readonly skipped: readonly string[];
  readonly samples: readonly WriteSample[];
  readonly machine: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly stealPercent: number;
  /** The 1-minute load average when the run began and when it ended (other work on the machine shows here). */
  readonly load: readonly [number, number];
  readonly command: string;
}

const byBytes = (id: CaseId): boolean => CASES[id] === "bytes";

/** MB/s (10^6 bytes) or requests per second. */
function rate(id: CaseId, o: Outcome): number {
  return byBytes(id) ? o.amount / o.seconds / 1e6 : o.amount / o.seconds;
}

/** Server CPU seconds per GB (10^9 bytes), or µs per request. */
function cpuPer(id: CaseId, o: Outcome): number {
  return byBytes(id) ? o.cpuSeconds / (o.amount / 1e9) : (o.cpuSeconds * 1e6) / o.amount;
}

const units = (id: CaseId): [string, string] => (byBytes(id) ? ["MB/s", "CPU s/GB"] : ["req/s", "CPU µs/req"]);

/** One console line for a measured case. */
export function describe(id: CaseId, o: Outcome): string {
  const [rateUnit, cpuUnit] = units(id);
  const rss = Number.isNaN(o.peakRssMiB) ? "" : `  peak RSS ${o.peakRssMiB.toFixed(0)} MiB`;
  return `${rate(id, o).toFixed(0).padStart(7)} ${rateUnit}  ${cpuUnit} ${cpuPer(id, o).toFixed(2)}${rss}${
    o.capped ? "  (capped)" : ""
  }${o.syncSeconds === undefined ? "" : `  sync after ${o.syncSeconds.toFixed(2)} s`}${
    o.error === undefined ? "" : `  ERROR: ${o.error}`
  }`;
}

function of(input: WritesReportInput, server: string, id: CaseId): WriteSample[] {
  return input.samples.filter((s) => s.server === server && s.case === id && s.outcome.error === undefined);
}

/** Per round: [rate a / rate b, CPU per unit a / CPU per unit b], a in case `id` against b in case `refCase`. */
function ratios(
  input: WritesReportInput,
  a: string,
  b: string,
  id: CaseId,
  refCase: CaseId = id,
): [number[], number[]] {
  const rates: number[] = [];
  const cpus: number[] = [];
  for (const mine of of(input, a, id)) {
    const theirs = of(input, b, refCase).find((s) => s.round === mine.round);
    if (theirs === undefined) continue;
    rates.push(rate(id, mine.outcome) / rate(refCase, theirs.outcome));
    cpus.push(cpuPer(id, mine.outcome) / cpuPer(refCase, theirs.outcome));
  }
  return [rates, cpus];
}

const cell = (
  values: readonly number[],
  digits: number,
): string => (values.length === 0 ? "—" : spread(values, digits));

function rowCells(input: WritesReportInput, server: string, id: CaseId): string[] {
  const mine = of(input, server, id);
  const peak = Math.max(...mine.map((s) => s.outcome.peakRssMiB));
  return [
    cell(mine.map((s) => rate(id, s.outcome)), 0),
    cell(mine.map((s) => cpuPer(id, s.outcome)), byBytes(id) ? 2 : 0),
    mine.length === 0 || Number.isNaN(peak) ? "—" : peak.toFixed(1),
  ];
}

function uploadTable(input: WritesReportInput): string[] {
  const peers = ["nginx-dav", "node-put"].filter((p) => input.servers.includes(p));
  const lines = [
    `| case | server | fsync | rate | server CPU per unit | peak RSS (MiB) | ${
      peers.map((p) => `rate / ${p} | CPU / ${p}`).join(" | ")
    } |`,
    `| --- | --- | --- | --- | --- | --- | ${peers.map(() => "--- | ---").join(" | ")} |`,
  ];
  for (const id of ["PUT 256 MiB", "PUT 4 KiB c1", "PUT 4 KiB c16"] as const) {
    const [rateUnit, cpuUnit] = units(id);
    for (const server of input.servers) {
      const spec = WRITE_SERVERS.find((s) => s.name === server)!;
      const vs = peers.flatMap((p) => {
        if (p === server) return ["", ""];
        const [r, c] = ratios(input, server, p, id);
        return [cell(r, 2), cell(c, 2)];
      });
      const [r, c, rss] = rowCells(input, server, id);
      lines.push(
        `| ${id} | ${LABELS[server] ?? server} | ${
          spec.fsync ? "yes" : "no"
        } | ${r} ${rateUnit} | ${c} ${cpuUnit} | ${rss} | ${vs.join(" | ")} |`,
      );
    }
  }
  return lines;
}

/** The big PUT to the disk: the client's time, then what `sync` right after still had to write. */
function durableTable(input: WritesReportInput): string[] {
  const lines = [
    "| server | PUT 256 MiB (MB/s) | `sync` right after (s) | PUT + sync (MB/s) |",
    "| --- | --- | --- | --- |",
  ];
  for (const server of input.servers) {
    const mine = of(input, server, "PUT 256 MiB");
    const syncs = mine.map((s) => s.outcome.syncSeconds ?? 0);
    const durable = mine.map((s) => s.outcome.amount / (s.outcome.seconds + (s.outcome.syncSeconds ?? 0)) / 1e6);
    lines.push(
      `| ${LABELS[server] ?? server} | ${cell(mine.map((s) => rate("PUT 256 MiB", s.outcome)), 0)} | ${
        cell(syncs, 2)
      } | ${cell(durable, 0)} |`,
    );
  }
  return lines;
}

function archiveTable(input: WritesReportInput): string[] {
  const lines = [
    "| case | server | MB/s | server CPU s/GB | peak RSS (MiB) | capped (rounds) | MB/s / own static file | CPU / own static file | MB/s / nginx static file |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const rows: Array<[CaseId, string]> = [];
  for (const id of ["tar", "zip", "tar.gz", "static file"] as const) {
    for (const server of input.servers) if (of(input, server, id).length > 0) rows.push([id, server]);
  }
  rows.push(["tar | cat", "local"], ["tar | gzip -6", "local"]);
  for (const [id, server] of rows) {
    const mine = of(input, server, id);
    const capped = mine.filter((s) => s.outcome.capped).length;
    const [own, ownCpu] = server === "local" || id === "static file"
      ? [[], []]
      : ratios(input, server, server, id, "static file");
    const [nginx] = server === "nginx-dav" ? [[]] : ratios(input, server, "nginx-dav", id, "static file");
    const [r, c, rss] = rowCells(input, server, id);
    const label = server === "local" ? "local, on the server core" : server === "nginx-dav" ? "nginx" : server;
    lines.push(
      `| ${id.replaceAll("|", "\\|")} | ${label} | ${r} | ${c} | ${rss} | ${capped}/${mine.length} | ${
        cell(own, 2)
      } | ${cell(ownCpu, 2)} | ${cell(nginx, 2)} |`,
    );
  }
  return lines;
}

function errors(input: WritesReportInput): string[] {
  return input.samples.filter((s) => s.outcome.error !== undefined).map((s) =>
    `- ${s.server}, ${s.case}, round ${s.round + 1}: ${s.outcome.error}`
  );
}

export function writeWritesReport(input: WritesReportInput): { table: string; file: string } {
  const table = [...uploadTable(input), "", ...durableTable(input), "", ...archiveTable(input)].join("\n");
  const commands = WRITE_SERVERS.filter((s) => input.servers.includes(s.name)).map((s) =>
    `- ${s.name}: \`${
      s.command("$SITE", 0, "$WORK").map((a) => (a === "0" ? "$PORT" : a.replace(REPO, ".").replace("-0.", "-$PORT.")))
        .join(" ")
    }\``
  );
  const gzipMiB = input.gzipBytes / 1024 ** 2;
  const markdown = `## Writes: uploads and folder archives

Measured ${input.began.toISOString()} with \`${input.command}\` (${input.quick ? "quick mode" : "full mode"}):
${input.rounds} round(s), servers in a rotating order each round. Each server is pinned to core 0; the
client (wrk for the small PUTs, curl for one big PUT or GET) to core 1. Machine: ${input.machine};
CPU steal time during the run: ${input.stealPercent.toFixed(1)}%; load average ${
    input.load[0].toFixed(1)
  } at the start, ${input.load[1].toFixed(1)} at the end (on 2 cores: other work was running). Versions: ${
    ["node", "deno", "bun", "nginx", "wrk"].map((k) => `${k} ${input.versions[k] ?? "?"}`).join("; ")
  }.${input.skipped.length > 0 ? `\n\nSkipped: ${input.skipped.join("; ")}.` : ""}

Rates are medians over rounds (min-max); ratios are computed per round, then summarised the same way.
MB and GB are 10^6 and 10^9 bytes. **Server CPU** is user + system time from \`/proc/PID/stat\`
(the process and its children: nginx's worker) across the case, per GB moved or per request: it is
less disturbed than the rate when something else takes a core for a moment. **Peak RSS** is VmHWM
from \`/proc/PID/status\` after the case, reset before it (\`echo 5 > /proc/PID/clear_refs\`); for nginx
the master's and the worker's peaks added. \`sync\` runs before every case, so that no case pays for
another's unwritten pages.

### Uploads

\`PUT 256 MiB\`: one PUT of a 256 MiB file of random bytes (in the page cache) to a new name, streamed
by the client with \`Content-Length\`; the rate runs to the response. \`PUT 4 KiB c1/c16\`: wrk (\`-s bench/writes/put.lua\`)
for ${input.duration} s with 1 or 16 connections, each request a PUT of a new 4 KiB file (\`/up-…/1.bin\`, \`2.bin\`, …) into a folder that
exists. **sundial flushes each file (\`fsync\`) before renaming it into place, and then its folder; nginx's
WebDAV PUT and the minimal node server do not** (nginx writes the body to a temporary file and
renames it, with no fsync; the kernel writes it back later), so the comparison is of unequal work: the
second table shows how long \`sync\` took right after each big PUT (system-wide: another program's writes
count too, so a non-zero figure for sundial is the machine's). There is no flag to turn
sundial's fsync off. "CPU / peer" above 1 means sundial spent more CPU per GB or per request.

${uploadTable(input).join("\n")}

${durableTable(input).join("\n")}

### Folder archives

\`GET /data/?download=tar|zip|tar.gz\` of a folder of 200 files in 4 subfolders, 0.2 to 5 MiB each, 512 MiB
of random bytes in all (incompressible, so tar.gz is about as large as tar; zip stores), read to the end or for
${input.capSeconds} s at most ("capped": the rate is then over what arrived). The ceiling: the same server sending one
512 MiB file (\`GET /big.bin\`), and nginx sending it (sendfile). The local references run on the server core
from the page cache: \`tar -cf - -C data . | cat > /dev/null\`, and \`tar … | head -c ${gzipMiB}M | gzip -6 > /dev/null\` (the first
${gzipMiB} MiB: the cost of compressing, at the level zlib and CompressionStream use by default), timed by bash's \`time\`
(wall; CPU: user + system of the whole pipeline).

${archiveTable(input).join("\n")}

### Errors

${errors(input).length === 0 ? "None: every PUT was answered 201/204 and every GET 200." : errors(input).join("\n")}

### Commands

The site (\`$SITE\`, made in a temporary folder once per run and removed after): \`data/\` (the archived folder),
\`big.bin\` (512 MiB), \`probe.txt\`, and an empty upload folder per case. nginx's configuration (\`$WORK/nginx-dav-PORT.conf\`,
written by \`bench/writes/servers.ts\`): \`dav_methods PUT DELETE MKCOL; create_full_put_path on; client_max_body_size 0;
client_body_temp_path $WORK/nginx-body-temp;\` (same file system as the site: the move is a rename), \`sendfile on\`,
one worker, defaults otherwise. The clients, on core 1:

- PUT 256 MiB: \`curl -sS -o /dev/null -H 'Expect:' -w '%{http_code} %{size_upload} %{time_total}' -T $WORK/upload.bin http://127.0.0.1:$PORT/up-SERVER/big.bin\`
- PUT 4 KiB: \`wrk -t 1 -c 1|16 -d ${input.duration}s --timeout 10s -s bench/writes/put.lua http://127.0.0.1:$PORT/ -- /up-SERVER-cN\`
- downloads: \`curl -sS -o /dev/null --max-time ${input.capSeconds} -w '%{http_code} %{size_download} %{time_total}' 'http://127.0.0.1:$PORT/data/?download=tar'\` (\`zip\`, \`tar.gz\`; \`/big.bin\`)

The servers, on core 0:

${commands.join("\n")}
`;
  const file = reportFile(input.quick);
  writeSection(file, WRITES_SECTION, markdown);
  return { table, file };
}
