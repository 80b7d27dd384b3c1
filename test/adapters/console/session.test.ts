import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { lastRequestLocale } from "../../../src/adapters/console/console-adapter.js";
import { ConsoleOutput } from "../../../src/adapters/console/console-output.js";
import type { LineSource, ReadOptions } from "../../../src/adapters/console/line-reader.js";
import { ConsoleSession } from "../../../src/adapters/console/session.js";
import { colourWanted, styleFor } from "../../../src/adapters/console/style.js";
import type { ApprovalView, ConversationApi, ThreadHistory } from "../../../src/conversations/index.js";
import { silentLogger } from "../../../src/log.js";
import { console as render } from "../../../src/renderers/index.js";

/** Lines typed in order; records the prompts they answered. */
class ScriptedReader implements LineSource {
  readonly prompts: (string | undefined)[] = [];
  constructor(private readonly lines: string[]) {}
  async next(options: ReadOptions = {}) {
    this.prompts.push(options.prompt);
    return this.lines.shift();
  }
  close() {}
}

const approval: ApprovalView = {
  approvalId: "ap_1",
  threadKey: "console:t",
  runId: "run_1",
  stepId: 2,
  agent: "contract",
  task: "draft the NDA",
  reason: "contracts need approval",
  requester: "alice",
  approvers: [],
  locale: "en",
  status: "pending",
  decidedBy: undefined,
  decidedAt: undefined,
  editedTask: undefined,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  expiresAt: new Date("2099-01-01T00:00:00Z"),
};

function history(overrides: Partial<ThreadHistory> = {}): ThreadHistory {
  return {
    threadKey: "console:t",
    session: undefined,
    turns: [],
    turnCount: overrides.turns?.length ?? 0,
    olderBefore: undefined,
    checkpoints: [],
    checkpointCount: 0,
    pendingApprovals: [],
    feedback: { up: 0, down: 0 },
    ...overrides,
  };
}

function setup(lines: string[], api: Partial<ConversationApi>) {
  const stream = new PassThrough();
  let text = "";
  stream.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  const reader = new ScriptedReader(lines);
  const plain = { stream, style: styleFor(false) };
  const calls: string[] = [];
  const conversations = {
    history: async () => history(),
    pendingApprovals: async () => [],
    ...api,
  } as unknown as ConversationApi;
  const session = new ConsoleSession({
    conversations,
    logger: silentLogger(),
    user: "alice",
    threadKey: "console:t",
    format: "chat",
    dataDir: "/tmp/unused",
    reader,
    out: new ConsoleOutput({ answer: plain, info: plain }),
    decisions: "ask",
  });
  return { session, reader, output: () => text, calls };
}

describe("console session", () => {
  it("/forget deletes only after a yes", async () => {
    const forgotten: string[] = [];
    const api = {
      forget: async (thread: string) => {
        forgotten.push(thread);
        return true;
      },
    };
    const kept = setup(["no"], api);
    expect(await kept.session.command("forget", "")).toBe(true);
    expect(forgotten).toEqual([]);
    expect(kept.reader.prompts[0]).toContain("Type yes to confirm");
    expect(kept.output()).toContain("Kept console:t; nothing was deleted.");

    const gone = setup(["yes"], api);
    await gone.session.command("forget", "");
    expect(forgotten).toEqual(["console:t"]);
    expect(gone.output()).toContain("Forgot conversation console:t.");
    expect(gone.session.threadKey).not.toBe("console:t");
  });

  it("/rewind 0 says what is wrong instead of rewinding", async () => {
    let rewound = false;
    const { session, output } = setup([], {
      rewind: async () => {
        rewound = true;
        return { threadKey: "console:t", checkpointId: "c", turns: 0 };
      },
    });
    await session.command("rewind", "0");
    await session.command("rewind", "soon");
    expect(rewound).toBe(false);
    expect(output()).toContain("/rewind 0 would change nothing");
    expect(output()).toContain('"soon" is neither a number of turns nor a checkpoint id');
  });

  it("the decision prompt takes /history and /quit, and /quit leaves the step waiting", async () => {
    let decided = false;
    const { session, output, reader } = setup(["/history", "/quit"], {
      history: async () => history({ pendingApprovals: [approval] }),
      pendingApprovals: async () => [approval],
      decide: () => {
        decided = true;
        return (async function* () {})();
      },
    });
    const outcome = await session.settleApprovals();
    expect(outcome.quit).toBe(true);
    expect(decided).toBe(false);
    expect(outcome.pending.map((a) => a.approvalId)).toEqual(["ap_1"]);
    expect(reader.prompts).toEqual(["Decide step 2 (contract) > ", "Decide step 2 (contract) > "]);
    expect(output()).toContain("Waiting for approval:\n  #2 [contract] draft the NDA");
    expect(output()).toContain("Step 2 is still waiting for approval");
  });

  it("finds the approvals a request left pending without reading the conversation's history", async () => {
    const asked: string[] = [];
    const { session } = setup([], {
      send: () => (async function* () {})(),
      history: async () => {
        throw new Error("history read after a request");
      },
      pendingApprovals: async (threadKey: string) => {
        asked.push(threadKey);
        return [];
      },
    });
    const outcome = await session.request("search cats");
    expect(outcome).toMatchObject({ pending: [], quit: false, errors: [] });
    expect(asked).toEqual(["console:t"]);
  });
});

describe("console help", () => {
  it("lists every command the console understands", () => {
    const text = render.renderHelp("en", { terminal: true }).text;
    for (const command of [
      "/format",
      "/history",
      "/rewind N",
      "/rewind <checkpoint id>",
      "/sessions",
      "/new",
      "/forget",
      "/help",
      "/quit",
    ])
      expect(text).toContain(command);
    expect(text).toContain("Ctrl-A/Ctrl-E");
    expect(render.renderHelp("en").text).not.toContain("Ctrl-A");
  });
});

describe("colours", () => {
  const tty = { isTTY: true };
  it("on a terminal only, never with NO_COLOR, always with FORCE_COLOR", () => {
    expect(colourWanted(tty, {})).toBe(true);
    expect(colourWanted({}, {})).toBe(false);
    expect(colourWanted(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colourWanted(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    expect(colourWanted({}, { FORCE_COLOR: "1" })).toBe(true);
    expect(colourWanted(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(colourWanted(tty, { TERM: "dumb" })).toBe(false);
    expect(styleFor(true).error("a\nb")).toBe("\u001b[31ma\u001b[39m\n\u001b[31mb\u001b[39m");
  });
});

describe("greeting language", () => {
  const turn = (request: string, index: number) => ({
    index,
    request,
    answer: "",
    format: "chat" as const,
    checkpointId: `c${index}`,
    at: "",
    runId: `run_${index}`,
    feedback: { up: 0, down: 0 },
  });
  it("is the language of the last request, not of the first", () => {
    const session = { locale: "ko" } as ThreadHistory["session"];
    expect(
      lastRequestLocale(history({ session, turns: [turn("고양이 검색", 1), turn("search cats", 2)] })),
    ).toBe("en");
    expect(
      lastRequestLocale(history({ turns: [turn("search cats", 1), turn("고양이를 검색해 줘", 2)] })),
    ).toBe("ko");
    expect(
      lastRequestLocale(
        history({ turns: [turn("search cats", 1)], pendingApprovals: [{ ...approval, locale: "ko" }] }),
      ),
    ).toBe("ko");
    expect(lastRequestLocale(history())).toBe("en");
  });
});
