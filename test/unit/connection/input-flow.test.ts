import { describe, expect, it } from "vitest";
import { InputFlow, MAX_BUFFERED_INPUT } from "../../../src/connection/input-flow.ts";

function flow(): { input: InputFlow; calls: string[] } {
  const calls: string[] = [];
  const input = new InputFlow({ pause: () => void calls.push("pause"), resume: () => void calls.push("resume") });
  return { input, calls };
}

describe("InputFlow (connection/input-flow.ts)", () => {
  it("pauses the socket only once more than MAX_BUFFERED_INPUT bytes wait, and only once", () => {
    const { input, calls } = flow();
    input.held(MAX_BUFFERED_INPUT);
    expect([calls, input.isPaused]).toEqual([[], false]);
    input.held(MAX_BUFFERED_INPUT + 1);
    input.held(MAX_BUFFERED_INPUT * 2);
    expect([calls, input.isPaused]).toEqual([["pause"], true]);
  });

  it("resumes a paused socket once, and leaves one that is flowing alone", () => {
    const { input, calls } = flow();
    input.resume();
    expect(calls).toEqual([]);
    input.held(MAX_BUFFERED_INPUT + 1);
    input.resume();
    input.resume();
    expect([calls, input.isPaused]).toEqual([["pause", "resume"], false]);
  });

  it("pauses again after a resume when input piles up again", () => {
    const { input, calls } = flow();
    input.held(MAX_BUFFERED_INPUT + 1);
    input.resume();
    input.held(MAX_BUFFERED_INPUT + 1);
    expect(calls).toEqual(["pause", "resume", "pause"]);
  });
});
