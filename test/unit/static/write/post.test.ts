import { describe, expect, it } from "vitest";
import type { BodyRead, RequestBody } from "../../../../src/http/request-body.ts";
import { httpError } from "../../../../src/http/http-error.ts";
import type { OpenFile } from "../../../../src/ports/file-system.ts";
import { SafeRoot } from "../../../../src/static/safe-root.ts";
import { nameRefusal } from "../../../../src/static/write/upload-name.ts";
import { write } from "../../../../src/static/write/writes.ts";
import { FakeFileSystem } from "../../../support/fake-file-system.ts";
import { body, clean, field, head, setUp, WRITES } from "./write-harness.ts";

const FORM: [string, string] = ["content-type", "multipart/form-data; boundary=XyZ"];

/** A form body: [filename or null for a text field, field name, content] for each part. */
function form(parts: Array<[string | null, string, string]>, close = true): string {
  let text = "";
  for (const [filename, name, content] of parts) {
    const file = filename === null ? "" : `; filename="${filename}"`;
    text += `--XyZ\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n${content}\r\n`;
  }
  return close ? `${text}--XyZ--\r\n` : text;
}

const post = (
  run: ReturnType<typeof setUp>["run"],
  path: string,
  b: RequestBody | null,
  more: [string, string][] = [],
) => run("POST", path, b, [FORM, ...more]);

describe("POST of an upload form", () => {
  it("stores each file in the folder: 201, Location, the stored URLs; flushed; the cache told once", async () => {
    const { fs, run, changes } = setUp();
    const sent = form([["a.txt", "file", "first"], ["b c.txt", "file", "second"], [null, "note", "ignored"]]);
    // Cut in small pieces, across delimiters.
    const response = await post(run, "/dir", body(sent.match(/[^]{1,7}/g)!).body);
    expect(response.status).toBe(201);
    expect(field(response, "Location")).toBe("/dir/");
    expect(field(response, "Content-Type")).toBe("text/plain; charset=utf-8");
    expect(new TextDecoder().decode(response.body as Uint8Array)).toBe("/dir/a.txt\n/dir/b%20c.txt\n");
    expect([fs.text("/srv/dir/a.txt"), fs.text("/srv/dir/b c.txt")]).toEqual(["first", "second"]);
    expect(fs.syncs).toEqual(expect.arrayContaining(["/srv/dir"]));
    expect(changes()).toBe(1);
    clean(fs);
  });

  it("a browser's form submit (Accept: text/html) is sent back to the folder: 303", async () => {
    const { fs, run } = setUp();
    const accept: [string, string] = ["accept", "text/html,application/xhtml+xml,*/*;q=0.8"];
    const response = await post(run, "/", body([form([["n.txt", "file", "x"]])]).body, [accept]);
    expect([response.status, field(response, "Location")]).toEqual([303, "/"]);
    expect(fs.text("/srv/n.txt")).toBe("x");
  });

  it("a folder field makes a new sub-folder; the files still go to the folder posted to", async () => {
    const { fs, run } = setUp();
    const sent = form([["in-root.txt", "file", "x"], [null, "folder", "new folder"]]);
    expect((await post(run, "/", body([sent]).body)).status).toBe(201);
    expect(await fs.stat("/srv/new folder")).toMatchObject({ kind: "directory" });
    expect(fs.text("/srv/in-root.txt")).toBe("x");
    // An empty file input and an empty folder field (what a browser sends untouched): nothing.
    expect((await post(run, "/", body([form([["", "file", ""], [null, "folder", ""]])]).body)).status).toBe(201);
    clean(fs);
  });

  it("never over what is there: an existing file or folder is 409, all or nothing", async () => {
    const { fs, run, changes } = setUp();
    const sent = form([["fresh.txt", "file", "x"], ["old.txt", "file", "new"]]);
    expect((await post(run, "/", body([sent]).body)).status).toBe(409);
    expect((await post(run, "/", body([form([["dir", "file", "x"]])]).body)).status).toBe(409);
    expect((await post(run, "/", body([form([["f.txt", "file", "x"], [null, "folder", "dir"]])]).body)).status)
      .toBe(409);
    expect(fs.text("/srv/old.txt")).toBe("old content");
    expect([fs.text("/srv/fresh.txt"), fs.text("/srv/f.txt")]).toEqual([undefined, undefined]);
    expect(changes()).toBe(0);
    clean(fs);
  });

  const badNames = ["../../x", "..", ".", "a/b", "C:\\x", "a\0b", "a\x01b", "tab\there", "del\x7f", "x".repeat(256)];
  for (const name of badNames) {
    it(`refuses the file name ${JSON.stringify(name).slice(0, 20)} (400), nothing written`, async () => {
      const { fs, run } = setUp();
      const sent = form([["ok.txt", "file", "fine"], [name, "file", "x"]]);
      expect((await post(run, "/", body([sent]).body)).status).toBe(400);
      expect(fs.paths()).toEqual(["/srv/dir/inner.txt", "/srv/old.txt"]);
      clean(fs);
    });
  }

  it("hidden names are 403 unless --dotfiles; the server's temporaries always", async () => {
    const { fs, run } = setUp();
    expect((await post(run, "/", body([form([[".env", "file", "x"]])]).body)).status).toBe(403);
    expect((await post(run, "/", body([form([[null, "folder", ".git"]])]).body)).status).toBe(403);
    const dotfiles = setUp({ dotfiles: true });
    expect((await post(dotfiles.run, "/", body([form([[".env", "file", "x"]])]).body)).status).toBe(201);
    const temp = ".a.sundial-4242-0123456789abcdef.tmp";
    expect((await post(dotfiles.run, "/", body([form([[temp, "file", "x"]])]).body)).status).toBe(403);
    clean(fs);
  });

  it("the same name twice in one request, content without a file name, a file part without one: 400", async () => {
    const { fs, run } = setUp();
    expect((await post(run, "/", body([form([["a", "file", "1"], ["a", "file", "2"]])]).body)).status).toBe(400);
    expect((await post(run, "/", body([form([["a", "file", "1"], [null, "folder", "a"]])]).body)).status).toBe(400);
    expect((await post(run, "/", body([form([["", "file", "content"]])]).body)).status).toBe(400);
    expect((await post(run, "/", body([form([[null, "file", "text"]])]).body)).status).toBe(400);
    expect((await post(run, "/", body([form([[null, "folder", "a"], [null, "folder", "b"]])]).body)).status).toBe(400);
    expect(fs.paths()).toEqual(["/srv/dir/inner.txt", "/srv/old.txt"]);
    clean(fs);
  });

  const ends: Array<[string, BodyRead, number]> = [
    ["a client gone mid-part", { kind: "failed", error: null }, 400],
    ["a body past the deadline", { kind: "failed", error: httpError("TIMEOUT", "too slow") }, 408],
    ["a body without its close delimiter", { kind: "end" }, 400],
  ];
  for (const [what, end, status] of ends) {
    it(`${what}: ${status}, the files already read removed too`, async () => {
      const { fs, run, changes } = setUp();
      const sent = form([["one.txt", "file", "whole"], ["two.txt", "file", "cut"]], false);
      expect((await post(run, "/", body([sent.slice(0, -4)], end).body)).status).toBe(status);
      expect(fs.paths()).toEqual(["/srv/dir/inner.txt", "/srv/old.txt"]);
      expect(changes()).toBe(0);
      clean(fs);
    });
  }

  it("past --max-upload (the whole body): 413 at once by Content-Length, or as the bytes pass it", async () => {
    const { fs, run } = setUp({ maxUpload: 100 });
    const sent = form([["a.txt", "file", "x".repeat(40)], ["b.txt", "file", "y".repeat(40)]]);
    const declared = body([sent], { kind: "end" }, sent.length);
    expect((await post(run, "/", declared.body)).status).toBe(413);
    expect(declared.state).toEqual({ cancelled: true, reads: 0 });
    const streamed = body(sent.match(/[^]{1,30}/g)!);
    expect((await post(run, "/", streamed.body)).status).toBe(413);
    expect(streamed.state.cancelled).toBe(true);
    expect(fs.paths()).toEqual(["/srv/dir/inner.txt", "/srv/old.txt"]);
    clean(fs);
  });

  it("a full disk is 507, nothing left", async () => {
    const { fs, run } = setUp();
    fs.diskSpace = 40;
    expect((await post(run, "/", body([form([["a.txt", "file", "z".repeat(30)]])]).body)).status).toBe(507);
    expect(fs.paths()).toEqual(["/srv/dir/inner.txt", "/srv/old.txt"]);
    clean(fs);
  });

  it("bounds: a field past 64 KiB, more than 1,000 parts, part headers past 8 KiB are 413", async () => {
    const { fs, run } = setUp();
    expect((await post(run, "/", body([form([[null, "note", "n".repeat(65 * 1024)]])]).body)).status).toBe(413);
    const many = form(Array.from({ length: 1001 }, (_, i) => [null, `f${i}`, ""] as [null, string, string]));
    expect((await post(run, "/", body([many]).body)).status).toBe(413);
    const header = `--XyZ\r\nX-Long: ${"h".repeat(9000)}\r\n\r\n\r\n--XyZ--`;
    expect((await post(run, "/", body([header]).body)).status).toBe(413);
    clean(fs);
  });

  it("not a form: 415; a form without a valid boundary, or broken framing: 400", async () => {
    const { fs, run } = setUp();
    expect((await run("POST", "/", body(["x"]).body, [["content-type", "text/plain"]])).status).toBe(415);
    expect((await run("POST", "/", body(["x"]).body)).status).toBe(415);
    expect((await run("POST", "/", body(["x"]).body, [["content-type", "multipart/form-data"]])).status).toBe(400);
    expect((await post(run, "/", body(["--XyZ\r\nno colon\r\n\r\nx\r\n--XyZ--"]).body)).status).toBe(400);
    expect((await post(run, "/", null)).status).toBe(400);
    clean(fs);
  });

  it("the folder posted to: a file is 409, a missing one 409 (made with --mkdir), a hidden one 404", async () => {
    const { fs, run } = setUp();
    expect((await post(run, "/old.txt", body([form([["a", "file", "x"]])]).body)).status).toBe(409);
    expect((await post(run, "/none/", body([form([["a", "file", "x"]])]).body)).status).toBe(409);
    expect((await post(run, "/.hidden/", body([form([["a", "file", "x"]])]).body)).status).toBe(404);
    expect((await post(run, "/../", body([form([["a", "file", "x"]])]).body)).status).toBe(400);
    const made = setUp({ mkdir: true });
    expect((await post(made.run, "/new/deep/", body([form([["a", "file", "x"]])]).body)).status).toBe(201);
    expect(made.fs.text("/srv/new/deep/a")).toBe("x");
    clean(fs);
  });

  it("a name taken between the check and the commit: 409, and what this request committed is taken back", async () => {
    const fs = new FakeFileSystem({ "/srv/keep.txt": "k" });
    const open = fs.open.bind(fs);
    fs.open = async (path) => {
      const opened = await open(path);
      if (opened === null || path !== "/srv") return opened;
      const move = opened.renameNoReplace;
      // Another writer takes b.txt in the instant before this request commits it.
      opened.renameNoReplace = async (from, to) => {
        if (to === "b.txt") await makeFile(opened, "b.txt", "theirs");
        return move(from, to);
      };
      return opened;
    };
    const site = { ...WRITES };
    let changes = 0;
    const ctx = { root: new SafeRoot(fs, "/srv", site), site, changed: () => void changes++, writer: 4242 };
    const sent = form([["a.txt", "file", "mine"], ["b.txt", "file", "mine"], [null, "folder", "sub"]]);
    const response = await write(ctx, head("POST", [FORM]), "/", "", body([sent]).body);
    expect(response.status).toBe(409);
    expect(fs.paths()).toEqual(["/srv/b.txt", "/srv/keep.txt"]);
    expect(fs.text("/srv/b.txt")).toBe("theirs");
    expect(await fs.stat("/srv/sub")).toBeNull();
    // a.txt was there for an instant: the file cache forgets what it may have read.
    expect(changes).toBe(1);
    clean(fs);
  });
});

async function makeFile(dir: OpenFile, name: string, content: string): Promise<void> {
  const file = await dir.create(name);
  if (file.kind !== "writer") throw new Error("create failed");
  await file.write(new TextEncoder().encode(content));
  await file.close();
}

describe("nameRefusal", () => {
  it("Windows' reserved names, characters and trailing dots or spaces only where the separator is \\", () => {
    for (const name of ["CON", "con.txt", "Nul", "COM1", "lpt9.log", "a:b", "a?", "x.", "x "]) {
      expect(nameRefusal(name, false, "\\"), name).toBe(400);
      expect(nameRefusal(name, false, "/"), name).toBeNull();
    }
    expect(nameRefusal("console.txt", false, "\\")).toBeNull();
  });

  it("counts bytes, not characters: 255 bytes of UTF-8 at most", () => {
    expect(nameRefusal("é".repeat(127), false, "/")).toBeNull();
    expect(nameRefusal("é".repeat(128), false, "/")).toBe(400);
  });
});
