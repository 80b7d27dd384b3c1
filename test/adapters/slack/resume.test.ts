import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import { ScriptedLlm } from "../../../src/llm/scripted.js";
import { cutShortRun } from "../../support/cut-run.js";
import { ALICE, botMessages, GENERAL, SlackHarness, shownText } from "./harness.js";

const plan = () => ({
  steps: [
    { id: 1, agent: "search", task: "find", description: "", depends_on: [], needs_approval: false },
    { id: 2, agent: "data", task: "analyse", description: "", depends_on: [1], needs_approval: false },
  ],
});

describe("Slack after a crash", () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await SlackHarness.start({ service: { scripted: { handlers: { plan } } } });
  });
  afterEach(() => h?.close());

  it("finishes, in its thread, a run the crash cut short, once the bot is back", async () => {
    const root = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search then analyse" });
    const threadKey = slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: root.ts });
    await cutShortRun(h.store, threadKey, new ScriptedLlm({ handlers: { plan } }), {
      platform: "slack",
      requester: ALICE,
    });

    await h.restart();
    await h.idle();

    const answers = botMessages(h, GENERAL, root.ts).filter((m) => shownText(m).includes("agent handled"));
    expect(answers).toHaveLength(1);
    expect(shownText(answers[0] ?? { text: "" })).toContain("data");
    expect(await h.store.sessions.get(threadKey)).toMatchObject({ status: "completed", turns: 1 });
  });
});
