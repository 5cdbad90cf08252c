import { describe, expect, it } from "vitest";
import { archiveFormat, archiveResponse, attachment } from "../../../../src/static/archive/response.ts";
import { listingHtml } from "../../../../src/static/listing/html.ts";
import { fakeCompressor } from "../../../support/fake-file-system.ts";

describe("folder archives: the query, the response, the listing's links", () => {
  it("reads download=tar|tar.gz|zip from the query and nothing else", () => {
    expect(archiveFormat("download=zip")).toBe("zip");
    expect(archiveFormat("sort=name&download=tar.gz")).toBe("tar.gz");
    expect(archiveFormat("download=tar")).toBe("tar");
    for (const query of [null, "", "download=rar", "download", "sort=name"]) expect(archiveFormat(query)).toBeNull();
  });

  it("names the attachment for old clients in ASCII and for the rest in UTF-8 (RFC 6266, RFC 8187)", () => {
    expect(attachment("site.zip")).toBe(`attachment; filename="site.zip"; filename*=UTF-8''site.zip`);
    expect(attachment('caf\u00e9 "x".tar')).toBe(
      `attachment; filename="caf_ _x_.tar"; filename*=UTF-8''caf%C3%A9%20%22x%22.tar`,
    );
  });

  it("is a pulled body of unknown length that runs `done` once, when cancelled before it starts", async () => {
    let done = 0;
    async function* none() {}
    const response = archiveResponse(none(), "zip", "x", fakeCompressor, () => Promise.resolve(void done++));
    expect(response.headers).toContainEqual(["Content-Type", "application/zip"]);
    const body = response.body;
    if (body === null || body instanceof Uint8Array || body.kind !== "pull") throw new Error("not a pulled body");
    expect(body.length).toBeNull();
    body.cancel();
    await new Promise((r) => setTimeout(r, 0));
    body.cancel();
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBe(1);
  });

  it("links the three archives from a listing only when asked", () => {
    const sort = { key: "name", order: "asc" } as const;
    expect(listingHtml([], [], sort, "", { archives: true })).toContain('href="?download=tar.gz"');
    expect(listingHtml([], [], sort)).not.toContain("?download=");
  });
});
