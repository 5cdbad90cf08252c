import { describe, expect, it } from "vitest";
import { loadApp, oneLine } from "../../../src/compose/app-source.ts";

describe("loadApp: a module that fails to load", () => {
  it("says why in one line: Deno's three coloured lines become one, colours dropped", async () => {
    const deno =
      'Import "left-pad" not a dependency\n  \x1b[0m\x1b[36mhint:\x1b[0m If you want to use the npm package, try running `deno add npm:left-pad`\n' +
      "    at \x1b[0m\x1b[36mfile:///srv/app.mjs\x1b[0m:\x1b[0m\x1b[33m2\x1b[0m:\x1b[0m\x1b[33m21\x1b[0m";
    const load = await loadApp(
      { runtime: "deno 2", importModule: () => Promise.reject(new Error(deno)) },
      { kind: "module", path: "/srv/app.mjs" },
      8000,
      "http",
    );
    expect(load).toEqual({
      kind: "failed",
      message:
        'Import "left-pad" not a dependency; hint: If you want to use the npm package, try running `deno add npm:left-pad`; at file:///srv/app.mjs:2:21',
    });
  });

  it("a one-line message is kept as it is", () => {
    expect(oneLine("Cannot find package 'hono' imported from /srv/app.ts")).toBe(
      "Cannot find package 'hono' imported from /srv/app.ts",
    );
  });
});
