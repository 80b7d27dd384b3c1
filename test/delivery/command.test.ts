import { describe, expect, it } from "vitest";
import { parseOctoCommand } from "../../src/delivery/command.js";

describe("/octo command text", () => {
  it("reads an optional format before the request", () => {
    expect(parseOctoCommand("graph plan a launch")).toEqual({
      kind: "run",
      format: "graph",
      request: "plan a launch",
    });
    expect(parseOctoCommand("REPORT: sales in Q3")).toEqual({
      kind: "run",
      format: "report",
      request: "sales in Q3",
    });
    expect(parseOctoCommand("what is new")).toEqual({
      kind: "run",
      format: undefined,
      request: "what is new",
    });
    expect(parseOctoCommand("  all  everything\nplease ")).toEqual({
      kind: "run",
      format: "all",
      request: "everything\nplease",
    });
  });

  it("knows the sub-commands only when they stand alone", () => {
    expect(parseOctoCommand("history")).toEqual({ kind: "history" });
    expect(parseOctoCommand("forget")).toEqual({ kind: "forget" });
    expect(parseOctoCommand("help")).toEqual({ kind: "help" });
    expect(parseOctoCommand("rewind 2")).toEqual({ kind: "rewind", turns: 2 });
    expect(parseOctoCommand("history of Rome")).toMatchObject({ kind: "run", request: "history of Rome" });
    expect(parseOctoCommand("rewind the tape")).toMatchObject({ kind: "run" });
  });

  it("gives usage help for an empty request, a bad rewind or a format we lack", () => {
    expect(parseOctoCommand("")).toMatchObject({ kind: "usage", problem: "empty" });
    expect(parseOctoCommand("graph")).toMatchObject({ kind: "usage", problem: "empty" });
    expect(parseOctoCommand("rewind")).toMatchObject({ kind: "usage", problem: "bad_rewind" });
    expect(parseOctoCommand("rewind 0")).toMatchObject({ kind: "usage", problem: "bad_rewind" });
    expect(parseOctoCommand("rewind -1")).toMatchObject({ kind: "usage", problem: "bad_rewind" });
    expect(parseOctoCommand("pdf the quarterly numbers")).toEqual({
      kind: "usage",
      problem: "unknown_format",
      detail: "pdf",
    });
  });
});
