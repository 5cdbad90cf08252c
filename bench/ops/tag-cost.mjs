// node bench/ops/tag-cost.mjs | bun bench/ops/tag-cost.mjs | deno run bench/ops/tag-cost.mjs
// What tagging each app request costs (src/ops/app-errors.ts: the handler runs inside
// AsyncLocalStorage.run, so that an error it leaves uncaught names its request): a handler with
// five awaits, 200,000 calls a round, plain before any AsyncLocalStorage ran, tagged, and plain
// again after (Node 20 turns its promise hooks on at the first run, for every promise after).
import { AsyncLocalStorage } from "node:async_hooks";

const CALLS = 200_000;
const ROUNDS = 3;
const tags = new AsyncLocalStorage();
const handler = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve(i);
  return 1;
};

async function perCall(call) {
  const began = performance.now();
  for (let i = 0; i < CALLS; i++) await call();
  return ((performance.now() - began) * 1000) / CALLS;
}

async function rounds(call) {
  const times = [];
  for (let r = 0; r < ROUNDS; r++) times.push(await perCall(call));
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)].toFixed(2);
}

const runtime = globalThis.Bun
  ? `bun ${Bun.version}`
  : globalThis.Deno
  ? `deno ${Deno.version.deno}`
  : `node ${process.versions.node}`;
const before = await rounds(handler);
const tagged = await rounds(() => tags.run({ method: "GET", target: "/" }, handler));
const after = await rounds(handler);
console.log(
  `${runtime}: µs a call (median of ${ROUNDS} rounds): plain ${before}, tagged ${tagged}, plain after tagging began ${after}`,
);
