import { describe, expect, it } from "vitest";
import { DynamicTable, entrySize } from "../../../../src/http2/hpack/dynamic-table.ts";

describe("the dynamic table (RFC 7541 §2.3.2, §4)", () => {
  it("sizes an entry as its name's and value's octets plus 32 (§4.1)", () => {
    expect(entrySize("custom-key", "custom-header")).toBe(55);
    expect(entrySize("", "")).toBe(32);
  });

  it("keeps entries newest first and evicts the oldest to make room (§4.4)", () => {
    const evicted: Array<[string, number]> = [];
    const table = new DynamicTable(100, (name, _value, insertion) => evicted.push([name, insertion]));
    table.add("a", "1"); // 34
    table.add("b", "2"); // 68
    expect(table.entries()).toEqual([["b", "2"], ["a", "1"]]);
    table.add("c", "3"); // 102 > 100: "a" goes
    expect(table.entries()).toEqual([["c", "3"], ["b", "2"]]);
    expect(table.size).toBe(68);
    expect(evicted).toEqual([["a", 1]]);
    expect(table.insertions).toBe(3);
    expect([table.name(0), table.value(1)]).toEqual(["c", "2"]);
  });

  it("empties itself for an entry larger than its maximum size, which is not added (§4.4)", () => {
    const table = new DynamicTable(64);
    table.add("a", "1");
    table.add("big", "x".repeat(40));
    expect(table.length).toBe(0);
    expect(table.size).toBe(0);
    expect(table.insertions).toBe(1);
    table.add("exact", "x".repeat(64 - 32 - 5));
    expect(table.size).toBe(64);
  });

  it("evicts down to a new maximum size (§4.3), and holds nothing at 0", () => {
    const table = new DynamicTable(4096);
    for (let i = 0; i < 10; i++) table.add(`n${i}`, "v");
    table.setMaxSize(3 * 35);
    expect(table.entries().map(([name]) => name)).toEqual(["n9", "n8", "n7"]);
    table.setMaxSize(0);
    expect(table.length).toBe(0);
    table.add("a", "");
    expect(table.length).toBe(0);
    expect(table.maxSize).toBe(0);
  });

  it("keeps order as its ring grows and wraps around", () => {
    const table = new DynamicTable(40 * 33);
    const added: string[] = [];
    for (let i = 0; i < 300; i++) {
      table.add(String(i % 10), "");
      added.unshift(String(i % 10));
      expect(table.entries().map(([name]) => name)).toEqual(added.slice(0, 40));
    }
    expect(table.size).toBe(40 * 33);
  });
});
