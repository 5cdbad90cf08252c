import { describe, expect, it } from "vitest";
import { crc32 } from "../../../src/archive/crc32.ts";
import { zipStream } from "../../../src/archive/zip.ts";
import { centralHeader, dosDateTime, end, needsZip64End, zip64End } from "../../../src/archive/zip-records.ts";
import { ascii, collect, entry, listOf } from "./support.ts";

const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

describe("zip (PKWARE APPNOTE 6.3.10)", () => {
  it("writes local header, stored content, data descriptor per entry, then the central directory and its end", async () => {
    const zip = await collect(zipStream(listOf([entry("d", null), entry("d/a.txt", "alpha\n", { pieces: 3 })])));
    const v = view(zip);
    expect(v.getUint32(0, true)).toBe(0x04034b50);
    expect(v.getUint16(6, true)).toBe(0x0808); // bits 3 and 11
    expect(v.getUint16(8, true)).toBe(0); // stored
    expect(ascii(zip, 30, 32)).toBe("d/");
    const second = 30 + 2 + 16;
    expect(v.getUint32(second, true)).toBe(0x04034b50);
    const content = second + 30 + 7;
    expect(ascii(zip, content, content + 6)).toBe("alpha\n");
    const descriptor = content + 6;
    expect(v.getUint32(descriptor, true)).toBe(0x08074b50);
    expect(v.getUint32(descriptor + 4, true)).toBe(crc32(new TextEncoder().encode("alpha\n")));
    expect(v.getUint32(descriptor + 8, true)).toBe(6);
    const eocd = zip.length - 22;
    expect(v.getUint32(eocd, true)).toBe(0x06054b50);
    expect(v.getUint16(eocd + 10, true)).toBe(2);
    const cdOffset = v.getUint32(eocd + 16, true);
    expect(cdOffset).toBe(descriptor + 16);
    expect(v.getUint32(cdOffset, true)).toBe(0x02014b50);
    expect(v.getUint32(cdOffset + 38, true) >>> 16).toBe(0o40755);
    const secondCentral = cdOffset + 46 + 2;
    expect(v.getUint32(secondCentral + 16, true)).toBe(crc32(new TextEncoder().encode("alpha\n")));
    expect(v.getUint32(secondCentral + 42, true)).toBe(second);
  });

  it("records what a file that shrank really gave, and cuts one that grew at the size it was found with", async () => {
    const zip = await collect(zipStream(listOf([entry("a", "abc", { size: 5 }), entry("b", "abcdef", { size: 2 })])));
    const v = view(zip);
    expect(v.getUint32(30 + 1 + 3 + 8, true)).toBe(3);
    const second = 30 + 1 + 3 + 16;
    expect(ascii(zip, second + 31, second + 33)).toBe("ab");
  });

  it("uses the ZIP64 end records past 65535 entries", async () => {
    const many = Array.from({ length: 70_000 }, (_, i) => entry(`d${i}`, null));
    const zip = await collect(zipStream(listOf(many)));
    const v = view(zip);
    const eocd = zip.length - 22;
    expect(v.getUint16(eocd + 10, true)).toBe(0xffff);
    const locator = eocd - 20;
    expect(v.getUint32(locator, true)).toBe(0x07064b50);
    const record = Number(v.getBigUint64(locator + 8, true));
    expect(v.getUint32(record, true)).toBe(0x06064b50);
    expect(Number(v.getBigUint64(record + 32, true))).toBe(70_000);
  });

  it("puts sizes and offsets past 4 GiB - 1 in the central header's ZIP64 extra field", () => {
    const name = new TextEncoder().encode("big");
    const header = centralHeader({
      name,
      directory: false,
      dosTime: 0,
      dosDate: 33,
      crc: 1,
      size: 5e9,
      offset: 6e9,
      zip64: true,
    });
    const v = view(header);
    expect(v.getUint32(20, true)).toBe(0xffffffff);
    expect(v.getUint32(42, true)).toBe(0xffffffff);
    expect(v.getUint16(46 + 3, true)).toBe(0x0001);
    expect(v.getUint16(46 + 5, true)).toBe(24);
    expect(Number(v.getBigUint64(46 + 7, true))).toBe(5e9);
    expect(Number(v.getBigUint64(46 + 23, true))).toBe(6e9);
    const dir = { count: 1, offset: 7e9, size: 70 };
    expect(needsZip64End(dir)).toBe(true);
    expect(view(zip64End(dir, 7e9 + 70)).getUint32(56, true)).toBe(0x07064b50);
    expect(view(end(dir)).getUint32(16, true)).toBe(0xffffffff);
  });

  it("writes MS-DOS dates and times, clamped to 1980", () => {
    expect(dosDateTime(Date.UTC(2024, 0, 2, 3, 4, 6))).toEqual({
      time: (3 << 11) | (4 << 5) | 3,
      date: (44 << 9) | (1 << 5) | 2,
    });
    expect(dosDateTime(0)).toEqual({ time: 0, date: (1 << 5) | 1 });
  });
});
