import { describe, expect, it } from "vitest";
import { isYes, parseDecision, parseLine, parseRewind } from "../../../src/adapters/console/commands.js";
import { helpText, parseCommand } from "../../../src/cli.js";

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

  it("reads a confirmation", () => {
    for (const yes of ["yes", "Y", "네", "approve"]) expect(isYes(yes)).toBe(true);
    for (const no of ["no", "", "maybe", "yes please"]) expect(isYes(no)).toBe(false);
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
      files: [],
    });
    expect(parseCommand(["ask", "sum it", "--file", "a.csv", "--file", "b.json"])).toMatchObject({
      kind: "ask",
      files: ["a.csv", "b.json"],
    });
  });

  it("refuses what it does not understand", () => {
    expect(parseCommand(["serve"])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["ask", "x", "--approve", "--reject"])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["ask", "x", "--colour"])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["ask", "x", "--format", "xyz"])).toMatchObject({
      kind: "usage",
      message: 'unknown format "xyz" (choose one of chat, graph, report, json, all)',
    });
    expect(parseCommand(["ask", "  "])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["--approve"])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["--format", "json"])).toMatchObject({ kind: "usage" });
    expect(parseCommand(["--file", "a.csv"])).toMatchObject({
      kind: "usage",
      message: expect.stringContaining("ask"),
    });
  });

  it("knows --help and --version, and the help names every option and exit code", () => {
    expect(parseCommand(["--help"])).toEqual({ kind: "help" });
    expect(parseCommand(["ask", "x", "-h"])).toEqual({ kind: "help" });
    expect(parseCommand(["--version"])).toEqual({ kind: "version" });
    const help = helpText();
    for (const option of ["--format", "--thread", "--file", "--approve", "--reject", "--help", "--version"])
      expect(help).toContain(option);
    for (const code of ["0  answered", "1  refused or failed", "2  usage", "3  a step is still waiting"])
      expect(help).toContain(code);
  });
});
