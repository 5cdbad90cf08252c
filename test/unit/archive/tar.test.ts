import { describe, expect, it } from "vitest";
import { headerFor, paxRecord, tarStream } from "../../../src/archive/tar.ts";
import { ascii, collect, entry, listOf } from "./support.ts";

/** A ustar header's checksum: the sum of its bytes with the checksum field as spaces. */
function checksumOf(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

describe("tar (POSIX pax / ustar)", () => {
  it("writes a ustar header per entry, content padded to 512-byte blocks, two zero blocks at the end", async () => {
    const tar = await collect(tarStream(listOf([entry("docs", null), entry("docs/a.txt", "alpha\n")])));
    expect(tar.length).toBe(512 + 512 + 512 + 1024);
    expect(ascii(tar, 0, 100)).toBe("docs/");
    expect(String.fromCharCode(tar[156]!)).toBe("5");
    expect(ascii(tar, 512, 612)).toBe("docs/a.txt");
    expect(String.fromCharCode(tar[512 + 156]!)).toBe("0");
    expect(ascii(tar, 512 + 124, 512 + 135)).toBe("00000000006");
    expect(ascii(tar, 512 + 136, 512 + 147)).toBe((Date.UTC(2024, 0, 2, 3, 4, 6) / 1000).toString(8));
    expect(ascii(tar, 512 + 257, 512 + 263)).toBe("ustar");
    expect(ascii(tar, 512 + 263, 512 + 265)).toBe("00");
    expect(parseInt(ascii(tar, 512 + 148, 512 + 155), 8)).toBe(checksumOf(tar.subarray(512, 1024)));
    expect(ascii(tar, 1024, 1030)).toBe("alpha\n");
    expect(tar.subarray(1536).every((b) => b === 0)).toBe(true);
  });

  it("puts a name past 100 bytes or not ASCII in a pax 'x' header before the entry", () => {
    const long = `${"d/".repeat(60)}file.txt`;
    const header = headerFor(entry(long, "x"));
    expect(header.length).toBe(512 * 3);
    expect(String.fromCharCode(header[156]!)).toBe("x");
    expect(ascii(header, 512, 1024)).toBe(paxRecord("path", long));
    expect(headerFor(entry("caf\u00e9", "x")).length).toBe(512 * 3);
  });

  it('counts a pax record\'s own length digits ("%d %s=%s\\n")', () => {
    expect(paxRecord("path", "a")).toBe("9 path=a\n");
    // " path=ab\n" is 9 bytes: with "10" it would be 12, so 2 digits and 11 in all.
    expect(paxRecord("path", "ab")).toBe("11 path=ab\n");
    expect(paxRecord("path", "abc")).toBe("12 path=abc\n");
    expect(paxRecord("path", "caf\u00e9")).toBe("14 path=caf\u00e9\n");
  });

  it("puts a size past 8 GiB - 1 in a pax record, 0 in the ustar field", () => {
    const header = headerFor(entry("big.bin", "", { size: 9 * 1024 ** 3 }));
    expect(ascii(header, 512, 1024)).toBe(paxRecord("size", String(9 * 1024 ** 3)));
    expect(ascii(header, 1024 + 124, 1024 + 135)).toBe("00000000000");
  });

  it("writes exactly the header's size for a file that changed: zeros after one that shrank, cut one that grew", async () => {
    const short: string[] = [];
    const shrunk = await collect(tarStream(listOf([entry("a", "abc", { size: 5 })]), (p) => short.push(p)));
    expect(Array.from(shrunk.subarray(512, 517))).toEqual([97, 98, 99, 0, 0]);
    expect(short).toEqual(["a"]);
    const grown = await collect(tarStream(listOf([entry("a", "abcdef", { size: 2, pieces: 3 })])));
    expect(grown.length).toBe(512 * 4);
    expect(ascii(grown, 512, 1024)).toBe("ab");
  });
});
