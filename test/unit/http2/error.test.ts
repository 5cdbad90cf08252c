import { describe, expect, it } from "vitest";
import { connectionError, ERROR_CODE, errorCodeName, streamError } from "../../../src/http2/error.ts";

describe("HTTP/2 error codes (RFC 9113 §7)", () => {
  it("are the fourteen codes of §7, 0x0 to 0xd", () => {
    expect(Object.values(ERROR_CODE)).toEqual([...Array(14).keys()]);
    expect(ERROR_CODE.ENHANCE_YOUR_CALM).toBe(0xb);
    expect(ERROR_CODE.HTTP_1_1_REQUIRED).toBe(0xd);
  });

  it("name a received code, and no name for one not known (no special behaviour, §7)", () => {
    expect(errorCodeName(0x6)).toBe("FRAME_SIZE_ERROR");
    expect(errorCodeName(0xe)).toBeNull();
    expect(errorCodeName(0xffffffff)).toBeNull();
  });

  it("are values saying whose error it is (§5.4.1, §5.4.2)", () => {
    expect(connectionError("PROTOCOL_ERROR", "x")).toEqual({
      kind: "connection-error",
      code: "PROTOCOL_ERROR",
      reason: "x",
    });
    expect(streamError("CANCEL", 3, "y")).toEqual({ kind: "stream-error", code: "CANCEL", streamId: 3, reason: "y" });
  });
});
