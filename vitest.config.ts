import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The attack suite runs afterwards with the machine to itself (vitest.attack.config.ts).
    exclude: ["test/e2e/targets/attack/**", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machine has two cores: one e2e file (one runtime) at a time beside the unit tests.
    maxWorkers: 2,
  },
});
