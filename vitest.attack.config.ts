import { defineConfig } from "vitest/config";

/**
 * The attack suite (test/e2e/attack-suite.ts): timing- and memory-bound tests, one file at a time
 * and nothing beside them, after the parallel run (npm test runs both; npm run test:attack this one).
 */
export default defineConfig({
  test: {
    include: ["test/e2e/targets/attack/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
