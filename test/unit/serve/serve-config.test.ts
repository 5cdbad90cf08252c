import { describe, expect, it } from "vitest";
import { serveConfig } from "../../../src/serve/serve-config.ts";
import { commandConfig } from "../../../src/cli/command-config.ts";
import { parseCli, type ServeCommand } from "../../../src/cli/arguments.ts";

const fetch = (): Response => new Response("hi");

function cli(argv: string[]): ServeCommand {
  const command = parseCli(argv, {});
  if (command.kind !== "serve") throw new Error(JSON.stringify(command));
  return command;
}

describe("serveConfig: serve()'s options become the config the command line's flags become", () => {
  it("the operations options mean what their flags mean", () => {
    const fromServe = serveConfig({
      fetch,
      accessLog: { format: "json", file: "/tmp/a.log" },
      trustProxy: ["127.0.0.1", "10.0.0.0/8"],
      proxyProtocol: true,
      basePath: "/files/",
      headers: { "X-Frame-Options": "DENY" },
      health: true,
      metrics: true,
      adminPort: 9090,
      shutdownTimeoutMs: 30_000,
    });
    const fromCli = commandConfig(cli([
      "--log-format",
      "json",
      "--log",
      "/tmp/a.log",
      "--trust-proxy",
      "127.0.0.1,10.0.0.0/8",
      "--proxy-protocol",
      "--base-path",
      "/files/",
      "--header",
      "X-Frame-Options: DENY",
      "--health",
      "--metrics",
      "--admin-port",
      "9090",
    ]));
    expect(fromServe.kind).toBe("ok");
    if (fromServe.kind !== "ok") return;
    expect(fromServe.value.ops).toEqual(fromCli.ops);
  });

  it("TLS from files, self-signed, or PEM text, with the redirect", () => {
    const files = serveConfig({ fetch, tls: { certFile: "c.pem", keyFile: "k.pem", redirectHttpPort: 8080 } });
    expect(files.kind === "ok" && [files.value.tls, files.value.redirectHttpPort]).toEqual([
      { kind: "files", certFile: "c.pem", keyFile: "k.pem", passphrase: null },
      8080,
    ]);
    const made = serveConfig({ fetch, tls: { selfSigned: true } });
    expect(made.kind === "ok" && made.value.tls).toEqual({ kind: "self-signed" });
    expect(commandConfig(cli(["--tls-cert", "c.pem", "--tls-key", "k.pem", "--redirect-http", "8080"])).tls)
      .toEqual({ kind: "files", certFile: "c.pem", keyFile: "k.pem", passphrase: null });
  });

  it("static implies /time; time alone serves /time without files; neither serves the app alone", () => {
    const site = serveConfig({ fetch, static: { root: "./public", spa: true } });
    expect(site.kind === "ok" && site.value.site?.root).toBe("./public");
    expect(site.kind === "ok" && site.value.site?.options.spa).toBe(true);
    const time = serveConfig({ fetch, time: true });
    expect(time.kind === "ok" && time.value.site?.root).toBe(null);
    const alone = serveConfig({ fetch });
    expect(alone.kind === "ok" && alone.value.site).toBe(null);
  });

  it("takes the writing options as static options, off when absent", () => {
    const on = serveConfig({
      fetch,
      static: { root: ".", upload: true, mkdir: true, allowDelete: true, maxUpload: 10 },
    });
    expect(on.kind === "ok" && on.value.site?.options).toMatchObject({ upload: true, mkdir: true, maxUpload: 10 });
    const off = serveConfig({ fetch, static: { root: "." } });
    expect(off.kind === "ok" && off.value.site?.options.upload).toBe(undefined);
    const bad = serveConfig({ fetch, static: { root: ".", maxUpload: -1 } });
    expect(bad.kind === "failed" && bad.message).toBe(
      "invalid value '-1' for static.maxUpload (expected a whole number of bytes)",
    );
  });

  it("refuses a websocket.perMessageDeflate Bun would not take, naming it; takes Bun's values", () => {
    const websocket = (perMessageDeflate: unknown) => ({ message() {}, perMessageDeflate }) as never;
    const bad = serveConfig({ fetch, websocket: websocket({ compress: "max" }) });
    expect(bad.kind === "failed" && bad.message).toMatch(
      /^invalid value '\{"compress":"max"\}' for websocket.perMessageDeflate \(expected true, false or \{ compress, decompress \}/,
    );
    for (const good of [true, false, { compress: "dedicated", decompress: "16KB" }]) {
      expect(serveConfig({ fetch, websocket: websocket(good) }).kind).toBe("ok");
    }
  });

  it.each([
    [{ trustProxy: "nonsense" }, /^invalid value 'nonsense' for trustProxy: /],
    [{ proxyProtocol: true }, /^proxyProtocol needs trustProxy: a PROXY header is read only from trusted peers$/],
    [{ basePath: "/a/../b" }, /^invalid value '\/a\/\.\.\/b' for basePath \(expected a path such as \/files/],
    [{ headers: { Server: "x" } }, /^headers cannot set Server: the server sets it itself$/],
    [{ headers: { "Bad Name": "x" } }, /^invalid field for headers: 'Bad Name: x'$/],
    [
      { accessLog: { format: "xml" as "json" } },
      /^invalid value 'xml' for accessLog\.format \(expected common, combined, json\)$/,
    ],
  ])("refuses %j with the command line's wording", (options, message) => {
    const config = serveConfig({ fetch, ...options });
    expect(config.kind).toBe("failed");
    if (config.kind === "failed") expect(config.message).toMatch(message);
  });
});
