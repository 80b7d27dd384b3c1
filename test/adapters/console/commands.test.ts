import { describe, expect, it } from "vitest";
import { parseDecision, parseLine, parseRewind } from "../../../src/adapters/console/commands.js";
import { parseCommand } from "../../../src/cli.js";

describe("console input", () => {
  it("tells commands from requests", () => {
    expect(parseLine("/format report")).toEqual({ kind: "command", name: "format", argument: "report" });
    expect(parseLine("  /HISTORY ")).toEqual({ kind: "command", name: "history", argument: "" });
    expect(parseLine("what is 2/3?")).toEqual({ kind: "request", text: "what is 2/3?" });
  });

  it("reads approval answers in English and Korean, with an inline edited task", () => {
    expect(parseDecision("approve")).toEqual({ decision: "approve", editedTask: undefined });
    expect(parseDecision(" 거절 ")).toEqual({ decision: "reject", editedTask: undefined });
    expect(parseDecision("edit draft a shorter NDA")).toEqual({
      decision: "edit",
      editedTask: "draft a shorter NDA",
    });
    expect(parseDecision("e")).toEqual({ decision: "edit", editedTask: undefined });
    expect(parseDecision("maybe")).toBeUndefined();
  });

  it("reads rewind targets", () => {
    expect(parseRewind("2")).toEqual({ turns: 2 });
    expect(parseRewind("1f1e86a1-39d7-6660-8008-19c09066c0dd")).toEqual({
      checkpointId: "1f1e86a1-39d7-6660-8008-19c09066c0dd",
    });
    expect(parseRewind("yesterday")).toBeUndefined();
  });
});

describe("command line", () => {
  it("parses serve, ask and their flags", () => {
    expect(parseCommand([])).toEqual({ kind: "serve", thread: undefined });
    expect(parseCommand(["--thread", "demo"])).toEqual({ kind: "serve", thread: "demo" });
    expect(parseCommand(["ask", "draft", "an", "NDA", "--format", "report", "--approve"])).toEqual({
      kind: "ask",
      request: "draft an NDA",
      format: "report",
      thread: undefined,
      decisions: "approve",
    });
  });

  it("refuses what it does not understand", () => {
    expect(parseCommand(["serve"])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["ask", "x", "--approve", "--reject"])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["ask", "x", "--colour"])).toMatchObject({ kind: "usage" });
  });
});
