import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import type { ScriptedCall } from "../../../src/llm/scripted.js";
import { DEFAULT_SEED } from "../../emulators/slack/index.js";
import {
  ALICE,
  DM,
  GENERAL,
  type SlackHarness as Harness,
  MINJI,
  SlackHarness,
  type Transport,
} from "./harness.js";

const MINJI_DM = "D0MINJI";
const RANDOM = "C0RANDOM";

/**
 * The assistant side panel with the real Bolt app against the emulator: a new thread suggests prompts
 * in the person's Slack language, a message in it runs like a DM, the status follows the running step
 * and clears, the thread is titled after its conversation, a context change is kept.
 */
describe.each<Transport>(["http", "socket"])("the Slack assistant panel (%s)", (transport) => {
  let h: Harness;
  /** Holds each agent step until Slack was told it runs, so the test sees the status mid-step. */
  let holdForStatus = false;
  beforeAll(async () => {
    h = await SlackHarness.start({
      transport,
      emulator: {
        seed: { channels: [...DEFAULT_SEED.channels, { id: MINJI_DM, name: "minji", isIm: true }] },
      },
      service: {
        scripted: {
          handlers: {
            agent: async ({ purpose, context }: ScriptedCall) => {
              if (holdForStatus)
                await h.emulator.waitForCall("assistant.threads.setStatus", (call) =>
                  String(call.params.status).startsWith("is running step"),
                );
              return {
                result: `The ${purpose.split(":")[1]} agent handled "${context.task}".`,
                confidence: 0.8,
              };
            },
          },
        },
      },
    });
  });
  afterAll(() => h?.close());

  async function startThread(user: string, channel: string) {
    const started = h.emulator.payloads.assistantThreadStarted({
      user,
      channel,
      context: { channel_id: GENERAL },
    });
    expect((await h.delivery.event(started.body)).status).toBe(200);
    const prompts = await h.emulator.waitForCall(
      "assistant.threads.setSuggestedPrompts",
      (call) => call.params.thread_ts === started.ts,
    );
    return {
      started,
      prompts: prompts.params as { title: string; prompts: { title: string; message: string }[] },
    };
  }

  it("suggests one prompt per output format, in the person's Slack language", async () => {
    const korean = await startThread(MINJI, MINJI_DM);
    expect(h.emulator.callsOf("users.info", (call) => call.params.user === MINJI)[0]?.params).toMatchObject({
      include_locale: "true",
    });
    expect(korean.prompts.title).toBe("이렇게 시작해 보세요");
    expect(korean.prompts.prompts.map((p) => p.message.split(":")[0])).toEqual([
      "chat",
      "graph",
      "report",
      "json",
    ]);
    expect(korean.prompts.prompts[2]?.message).toContain("공급업체");

    const english = await startThread(ALICE, DM);
    expect(english.prompts.title).toBe("Try one of these");
    expect(english.prompts.prompts[2]).toEqual({
      title: "A report (PDF)",
      message: "report: compare our three vendors",
    });
  });

  it("runs a message in the thread as a DM: the status shows the running step, then the answer, then it clears", async () => {
    const { started } = await startThread(ALICE, DM);
    const inThread = (call: { params: Record<string, unknown> }) => call.params.thread_ts === started.ts;
    holdForStatus = true;
    const message = h.emulator.payloads.message({
      user: ALICE,
      channel: DM,
      text: "graph: plan a product launch",
      threadTs: started.ts,
    });
    expect((await h.delivery.event(message.body)).status).toBe(200);
    await h.idle();
    holdForStatus = false;

    // One conversation per assistant thread, keyed like any DM thread; the prompt's prefix chose the format.
    const threadKey = slackThreadKey({ team: "T0OCTO", channel: DM, threadTs: started.ts });
    const history = await h.service.history(threadKey);
    expect(history.turns.map((turn) => [turn.request, turn.format])).toEqual([
      ["plan a product launch", "graph"],
    ]);
    expect(h.emulator.workspace.filesIn(DM, started.ts).map((file) => file.filename)).toContain("graph.png");

    const statuses = h.emulator.callsOf("assistant.threads.setStatus", inThread);
    const running = statuses.find((call) =>
      String(call.params.status).startsWith("is running step 1 (search)"),
    );
    const answer = h.emulator.callsOf(
      "chat.postMessage",
      (call) => inThread(call) && JSON.stringify(call.params.blocks ?? []).includes("context_actions"),
    );
    expect(running?.params.status).toContain("plan a product launch");
    expect(answer).toHaveLength(1);
    expect(running?.seq).toBeLessThan(answer[0]?.seq ?? 0);
    expect(statuses.at(-1)?.params.status).toBe("");
    expect(h.emulator.workspace.assistantThread(DM, started.ts)?.status).toBe("");

    expect(
      h.emulator.callsOf("assistant.threads.setTitle", inThread).map((call) => call.params.title),
    ).toEqual(["plan a product launch"]);

    // The next message continues the same conversation; the title stays the first request's.
    const followUp = h.emulator.payloads.message({
      user: ALICE,
      channel: DM,
      text: "now search for venues",
      threadTs: started.ts,
    });
    await h.delivery.event(followUp.body);
    await h.idle();
    expect((await h.service.history(threadKey)).turns.map((turn) => [turn.request, turn.format])).toEqual([
      ["plan a product launch", "graph"],
      ["now search for venues", "chat"],
    ]);
    expect(h.emulator.callsOf("assistant.threads.setTitle", inThread)).toHaveLength(1);
    expect(h.emulator.workspace.assistantThread(DM, started.ts)?.title).toBe("plan a product launch");
  });

  it("keeps the thread's context when the person moves to another channel", async () => {
    const { started } = await startThread(ALICE, DM);
    const changed = h.emulator.payloads.assistantContextChanged({
      user: ALICE,
      channel: DM,
      threadTs: started.ts,
      context: { channel_id: RANDOM },
    });
    expect((await h.delivery.event(changed.body)).status).toBe(200);
    await h.idle();
    const saved = h.logs.filter(
      (line) => line.msg === "Slack assistant thread context saved" && line.threadTs === started.ts,
    );
    expect(saved.map((line) => line.viewing)).toEqual([GENERAL, RANDOM]);
  });

  // Last: the refusal turns the assistant methods off for the rest of this process.
  it("still answers when Slack refuses the assistant methods, and says why once", async () => {
    const { started } = await startThread(ALICE, DM);
    const inThread = (call: { params: Record<string, unknown> }) => call.params.thread_ts === started.ts;
    h.emulator.faults.error("assistant.threads.setStatus", "missing_scope");
    const ask = async (text: string) => {
      const message = h.emulator.payloads.message({ user: ALICE, channel: DM, text, threadTs: started.ts });
      await h.delivery.event(message.body);
      await h.idle();
    };
    await ask("search for caterers");
    expect(
      h.emulator.callsOf("assistant.threads.setStatus", inThread).map((call) => call.response.error),
    ).toEqual(["missing_scope"]);
    // Once refused, nothing more is asked of them (a title asked for at the same moment may have gone).
    const before = h.emulator.calls.length;
    await ask("search for a photographer");
    expect(h.emulator.calls.slice(before).filter((call) => call.method.startsWith("assistant."))).toEqual([]);
    const answers = h.emulator.callsOf(
      "chat.postMessage",
      (call) => inThread(call) && JSON.stringify(call.params.blocks ?? []).includes("context_actions"),
    );
    expect(answers).toHaveLength(2);
    expect(
      h.logs.filter((line) => String(line.msg).startsWith("Slack refused the assistant methods")),
    ).toHaveLength(1);
  });
});
