import { describe, expect, it } from "vitest";
import { formDataType } from "../../../../src/http/multipart/boundary.ts";
import { formPart } from "../../../../src/http/multipart/form-part.ts";

const part = (disposition: string, more: [string, string][] = []) =>
  formPart([["content-disposition", disposition], ...more]);

describe("formPart (RFC 7578 §4.2)", () => {
  it("reads the field name and the file name, quoted or not", () => {
    expect(part('form-data; name="file"; filename="a b.txt"')).toEqual({
      kind: "part",
      name: "file",
      filename: "a b.txt",
    });
    expect(part("form-data; name=folder")).toEqual({ kind: "part", name: "folder", filename: null });
    expect(part('FORM-DATA ; Name = "file" ; FILENAME="x"')).toEqual({ kind: "part", name: "file", filename: "x" });
  });

  it("takes a file name as sent: backslashes stay (a Windows path is then refused), %22 is not undone", () => {
    expect(part('form-data; name="file"; filename="C:\\x"')).toMatchObject({ filename: "C:\\x" });
    expect(part('form-data; name="file"; filename="../../x"')).toMatchObject({ filename: "../../x" });
    expect(part('form-data; name="file"; filename="a%22b"')).toMatchObject({ filename: "a%22b" });
    expect(part('form-data; name="file"; filename="été.txt"')).toMatchObject({ filename: "été.txt" });
  });

  it("filename* (RFC 8187, UTF-8 only) wins over filename", () => {
    expect(part("form-data; name=file; filename=\"e.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt")).toMatchObject({
      filename: "€ rates.txt",
    });
    expect(part("form-data; name=file; filename*=utf-8'en'a%00b")).toMatchObject({ filename: "a\0b" });
    expect(part("form-data; name=file; filename*=ISO-8859-1''%E9").kind).toBe("refused");
    expect(part("form-data; name=file; filename*=UTF-8''%FF").kind).toBe("refused");
    expect(part("form-data; name=file; filename*=UTF-8''a b").kind).toBe("refused");
  });

  const refused: Array<[string, [string, string][]]> = [
    ["no Content-Disposition", [["content-type", "text/plain"]]],
    ["two Content-Dispositions", [["content-disposition", "form-data; name=a"], [
      "content-disposition",
      "form-data; name=b",
    ]]],
    ["another disposition type", [["content-disposition", 'attachment; name="a"']]],
    ["no name", [["content-disposition", 'form-data; filename="a"']]],
    ["a parameter twice", [["content-disposition", 'form-data; name="file"; filename="a"; filename="b"']]],
    ["an unterminated quote", [["content-disposition", 'form-data; name="file"; filename="a']]],
    ["a base64 transfer encoding", [["content-disposition", "form-data; name=a"], [
      "content-transfer-encoding",
      "base64",
    ]]],
  ];
  for (const [what, headers] of refused) {
    it(`refuses ${what}`, () => expect(formPart(headers).kind).toBe("refused"));
  }
});

describe("formDataType (RFC 7578 §4.1, RFC 2046 §5.1.1)", () => {
  it("finds the boundary, quoted or not", () => {
    expect(formDataType("multipart/form-data; boundary=abc")).toEqual({ kind: "form-data", boundary: "abc" });
    expect(formDataType('Multipart/Form-Data;BOUNDARY="a b:c"')).toEqual({ kind: "form-data", boundary: "a b:c" });
    expect(formDataType(`multipart/form-data; boundary=${"x".repeat(70)}`).kind).toBe("form-data");
  });

  it("other types are not forms; a form without a valid boundary is refused", () => {
    expect(formDataType(undefined).kind).toBe("other");
    expect(formDataType("text/plain").kind).toBe("other");
    expect(formDataType("multipart/mixed; boundary=a").kind).toBe("other");
    for (
      const bad of [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        `multipart/form-data; boundary=${"x".repeat(71)}`,
        'multipart/form-data; boundary="ends in space "',
        "multipart/form-data; boundary=a@b",
        "multipart/form-data; boundary=a; boundary=b",
      ]
    ) {
      expect(formDataType(bad).kind, bad).toBe("bad-boundary");
    }
  });
});
