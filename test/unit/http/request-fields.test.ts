import { describe, expect, it } from "vitest";
import { emptyFields, fillField, REQUEST_FIELDS, requestFields } from "../../../src/http/request-fields.ts";

/** fillField has one case per table entry (for speed): each must do what the entry's rule says. */
describe("REQUEST_FIELDS and fillField agree", () => {
  for (const [name, entry] of Object.entries(REQUEST_FIELDS)) {
    it(`${name}: ${entry.rule}`, () => {
      const fields = emptyFields();
      expect(fillField(fields, name, "a")).toBeNull();
      const second = fillField(fields, name, "b");
      const value = (fields as Record<string, string | undefined>)[name];
      if (entry.rule === "unique") expect([second, value]).toEqual([entry.duplicate, "a"]);
      else expect([second, value]).toEqual([null, entry.rule === "joined" ? "a, b" : "a"]);
    });
  }
  it("every slot is a table entry, and an unknown field fills none", () => {
    expect(Object.keys(emptyFields()).sort()).toEqual(Object.keys(REQUEST_FIELDS).sort());
    const fields = requestFields([["x-other", "1"], ["accept-language", "en"]]);
    expect(Object.values(fields).every((v) => v === undefined)).toBe(true);
  });
});
