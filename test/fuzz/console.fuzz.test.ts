import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isYes, parseDecision, parseLine, parseRewind } from "../../src/adapters/console/commands.js";
import { ConsoleOutput } from "../../src/adapters/console/console-output.js";
import type { LineSource } from "../../src/adapters/console/line-reader.js";
import { LocalFiles } from "../../src/adapters/console/local-files.js";
import { SessionCommands, type SessionState } from "../../src/adapters/console/session-commands.js";
import { styleFor } from "../../src/adapters/console/style.js";
import type { ConversationService } from "../../src/conversations/index.js";
import { silentLogger } from "../../src/log.js";
import { openTestStore, type TestStore } from "../support/databases.js";
import { createTestService } from "../support/service.js";
import { FUZZ_RUNS, huge, watchUnhandled, writtenRows } from "./support.js";

/**
 * What a person types into the console: the line parsers keep their contracts on any text, and every
 * slash command, known or not, with any argument, answers with a line and never throws; on a thread
 * without a conversation none of them writes anything.
 */
const line = fc.oneof(
  { weight: 20, arbitrary: fc.string({ maxLength: 200, unit: "grapheme" }) },
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.constantFrom("/", " /", "/ ", "//"), fc.string({ maxLength: 60 }))
      .map(([a, b]) => a + b),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(huge(50_000), "\u0000", "\r\n", "\t/help", "/rewind 99999999999999999999"),
  },
);

describe("console input under fuzzing", () => {
  it("parses every line into a request or a command, keeping the request's text", () => {
    fc.assert(
      fc.property(line, (typed) => {
        const parsed = parseLine(typed);
        if (parsed.kind === "request") {
          expect(parsed.text).toBe(typed);
          expect(typed.trim().startsWith("/") && /^\/\S/.test(typed.trim())).toBe(false);
        } else {
          expect(parsed.name).toMatch(/^\S+$/);
          expect(parsed.name).toBe(parsed.name.toLowerCase());
          expect(parsed.argument).toBe(parsed.argument.trim());
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("reads decisions, rewind targets and confirmations only from their own words", () => {
    fc.assert(
      fc.property(line, (typed) => {
        const decision = parseDecision(typed);
        if (decision) {
          expect(["approve", "reject", "edit"]).toContain(decision.decision);
          if (decision.decision !== "edit") expect(decision.editedTask).toBeUndefined();
          else if (decision.editedTask !== undefined) expect(decision.editedTask.length).toBeGreaterThan(0);
        }
        const target = parseRewind(typed);
        if (target && "turns" in target)
          expect(Number.isInteger(target.turns) && target.turns >= 0).toBe(true);
        if (target && "checkpointId" in target) expect(target.checkpointId).toBe(typed);
        if (isYes(typed)) expect(typed.trim().split(/\s+/)).toHaveLength(1);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  describe("slash commands", () => {
    let store: TestStore;
    let service: ConversationService;
    let emptyDir: string;
    beforeAll(async () => {
      emptyDir = await mkdtemp(path.join(os.tmpdir(), "octo-fuzz-attach-"));
      store = await openTestStore("pglite");
      service = createTestService(store).service;
      await service.start();
    });
    afterAll(async () => {
      await service?.close();
      await store?.destroy();
      await rm(emptyDir, { recursive: true, force: true });
    });

    it("answer every name and argument with a line, never throwing or writing", async () => {
      const said: string[] = [];
      const stream = new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          said.push(chunk.toString("utf8"));
          done();
        },
      });
      const sink = { stream, style: styleFor(false) };
      const out = new ConsoleOutput({ answer: sink, info: sink });
      const known = [
        "help",
        "format",
        "attach",
        "detach",
        "history",
        "rewind",
        "sessions",
        "new",
        "forget",
        "quit",
        "exit",
      ];
      const command = fc.record({
        name: fc.oneof(
          fc.constantFrom(...known),
          fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.toLowerCase()),
        ),
        argument: fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.integer().map(String),
          fc.uuid(),
          fc.constant(huge(20_000)),
        ),
        answer: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      });
      const unhandled = watchUnhandled();
      const rows = await writtenRows(store);
      await fc.assert(
        fc.asyncProperty(command, async ({ name, argument, answer }) => {
          const reader: LineSource = { next: async () => answer, close: () => undefined };
          // Attach paths resolve under an empty folder: whatever the argument, nothing real is read.
          const files = new LocalFiles(silentLogger(), emptyDir);
          const state: SessionState = { threadKey: "console:fuzz", format: "chat", locale: "en", files };
          const commands = new SessionCommands(state, {
            conversations: service,
            logger: silentLogger(),
            user: "fuzz",
            reader,
            out,
          });
          said.length = 0;
          const goOn = await commands.run(name, argument);
          expect(goOn).toBe(!(name === "quit" || name === "exit"));
          if (goOn) expect(said.join("").trim().length).toBeGreaterThan(0);
        }),
        { numRuns: FUZZ_RUNS },
      );
      unhandled.stop();
      expect(unhandled.rejections).toEqual([]);
      expect(await writtenRows(store)).toEqual(rows);
    });
  });
});
