import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/index.js";
import { ScriptedLlm } from "../../../src/llm/scripted.js";
import { DEFAULT_AGENTS } from "../../../src/supervisor/index.js";
import type { EmulatedMessage, EmulatedTask, RecordedCall } from "../../emulators/slack/index.js";
import { cutShortRun } from "../../support/cut-run.js";
import {
  ALICE,
  actionIds,
  botMessages,
  GENERAL,
  gate,
  type HarnessOptions,
  SlackHarness,
  shownText,
} from "./harness.js";

/**
 * Progress as Slack's native stream (OCTO_SLACK_PROGRESS=auto on an app with Agents & AI Apps on): the
 * real Bolt app against the emulator, whose streaming methods check chunks as Slack documents them.
 */
const STREAM_METHODS = ["chat.startStream", "chat.appendStream", "chat.stopStream"];

function streamCalls(h: SlackHarness): RecordedCall[] {
  return h.emulator.calls.filter((call) => STREAM_METHODS.includes(call.method));
}

/** The streamed messages of a thread, oldest first. */
function streams(h: SlackHarness, threadTs: string): (EmulatedMessage & { stream: object })[] {
  return botMessages(h, GENERAL, threadTs).filter(
    (message): message is EmulatedMessage & { stream: object } => message.stream !== undefined,
  );
}

function task(message: EmulatedMessage | undefined, id: string): EmulatedTask | undefined {
  return message?.stream?.tasks.find((each) => each.id === id);
}

/** Polls what the emulator shows until `check` holds; bounded, and says what it waited for. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A long answer, about `chars` long, that the answer checks take as prose: varied enough that it is not
 * read as a model looping (each sentence carries its own reference words).
 */
function prose(chars: number): string {
  const nouns = ["octopus", "squid", "cuttlefish", "nautilus", "reef", "current", "shell", "crab", "den"];
  const verbs = [
    "hides",
    "waits",
    "hunts",
    "rests",
    "drifts",
    "watches",
    "learns",
    "moves",
    "turns",
    "sleeps",
  ];
  const sentences: string[] = [];
  for (let i = 0; sentences.join(" ").length < chars; i++) {
    const end = i % 9 === 8 ? "\n" : "";
    sentences.push(`Note n${i}: the ${nouns[i % 9]} ${verbs[i % 10]} (refs r${i}a, r${i}b, r${i}c).${end}`);
  }
  return sentences.join(" ");
}

function streaming(options: HarnessOptions = {}): Promise<SlackHarness> {
  return SlackHarness.start({
    ...options,
    emulator: { ...options.emulator, seed: { aiApps: true, ...options.emulator?.seed } },
  });
}

describe("Slack progress as a native stream", () => {
  const searchGate = gate();
  const dataGate = gate();
  let gated = false;
  let longAnswer = "";
  let h: SlackHarness;

  beforeAll(async () => {
    h = await streaming({
      service: {
        scripted: {
          handlers: {
            "agent:search": async ({ context }) => {
              if (gated) await searchGate.wait;
              if (longAnswer) return { result: longAnswer, confidence: 0.9 };
              return { result: `Found it: ${String(context.task)}`, confidence: 0.9 };
            },
            "agent:data": async ({ context }) => {
              if (gated) await dataGate.wait;
              if (String(context.task).includes("broken")) throw new Error("the data source is unreachable");
              return { result: "The numbers add up.", confidence: 0.8 };
            },
          },
        },
        agents: DEFAULT_AGENTS.map((agent) =>
          agent.name === "web"
            ? {
                ...agent,
                run: async () => ({
                  result: "The page lists three plans.",
                  confidence: 0.9,
                  sources: [{ title: "Pricing", url: "https://example.org/pricing" }, { title: "plans.pdf" }],
                }),
              }
            : agent,
        ),
      },
    });
  });
  afterAll(() => h?.close());

  it("streams one plan whose parallel tasks move pending -> in_progress -> complete on their own, then the answer, then stops", async () => {
    gated = true;
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for octopus facts and analyze the data",
    });
    await h.delivery.event(mention.body);
    const shown = () => streams(h, mention.ts)[0];
    await until("both steps run", () =>
      ["1", "2"].every((id) => task(shown(), id)?.status === "in_progress"),
    );
    searchGate.open();
    await until("the search step is complete", () => task(shown(), "1")?.status === "complete");
    // Each task is its own: the data step still runs while the search step is done.
    expect(task(shown(), "2")?.status).toBe("in_progress");
    expect(shown()?.stream?.state).toBe("streaming");
    dataGate.open();
    await h.idle();
    gated = false;

    const [message, ...others] = streams(h, mention.ts);
    expect(others).toEqual([]);
    expect(botMessages(h, GENERAL, mention.ts)).toHaveLength(1);
    expect(message?.stream).toMatchObject({ state: "stopped", taskDisplayMode: "plan" });
    for (const id of ["1", "2"])
      expect(task(message, id)?.statuses).toEqual(["pending", "in_progress", "complete"]);
    expect(task(message, "1")).toMatchObject({
      title: "1. search: search for octopus facts and analyze the data",
      output: expect.stringContaining("Found it: search: search for octopus facts"),
      details: expect.stringMatching(/^search agent · \d+(\.\d)?s$/),
    });
    expect(message?.text).toContain("The numbers add up.");
    expect(message?.blocks?.[0]).toMatchObject({ type: "plan", tasks: [{ task_id: "1" }, { task_id: "2" }] });
    expect(shownText(message as EmulatedMessage)).toMatch(/2\/2 completed/);
    // A streamed answer can be rated like a posted one: the stop's blocks end with the feedback buttons.
    const closing = message?.blocks?.at(-1) as { type: string; elements?: { type: string }[] } | undefined;
    expect(closing?.type).toBe("context_actions");
    expect(closing?.elements?.[0]?.type).toBe("feedback_buttons");

    const calls = streamCalls(h).filter(
      (call) => call.params.thread_ts === mention.ts || call.params.ts === message?.ts,
    );
    expect(calls[0]).toMatchObject({
      method: "chat.startStream",
      params: { recipient_user_id: ALICE, recipient_team_id: "T0OCTO", task_display_mode: "plan" },
    });
    expect(calls.at(-1)?.method).toBe("chat.stopStream");
    expect(calls.every((call) => call.response.ok)).toBe(true);
    // The answer comes after both tasks are complete, as text in the stream.
    const answerAt = calls.findIndex((call) =>
      JSON.stringify(call.params.chunks ?? []).includes("markdown_text"),
    );
    const lastComplete = calls.findLastIndex((call) =>
      JSON.stringify(call.params.chunks ?? []).includes('"status":"complete"'),
    );
    expect(answerAt).toBeGreaterThanOrEqual(lastComplete);
    expect(calls.at(-1)?.params.blocks).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "context" })]),
    );
  });

  it("shows a failing step as error with its reason, and the others complete", async () => {
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for squid and analyze the broken data",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const [message] = streams(h, mention.ts);
    expect(task(message, "1")?.status).toBe("complete");
    expect(task(message, "2")).toMatchObject({
      status: "error",
      output: expect.stringContaining("the data source is unreachable"),
      details: expect.stringContaining("attempt 3"),
    });
    expect(task(message, "2")?.statuses.at(-1)).toBe("error");
    expect(message?.stream?.state).toBe("stopped");
  });

  it("gives a task the pages its step cited as sources, and names documents in its details", async () => {
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "read the pricing page at https://example.org/pricing",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const [message] = streams(h, mention.ts);
    expect(task(message, "1")).toMatchObject({
      status: "complete",
      sources: [{ type: "url", url: "https://example.org/pricing", text: "Pricing" }],
      details: expect.stringContaining("cited: plans.pdf"),
    });
  });

  it("stops the stream when the run waits for approval, and streams the resumed run anew", async () => {
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "draft a contract for the new vendor",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    const [first, ...none] = streams(h, mention.ts);
    expect(none).toEqual([]);
    expect(first?.stream?.state).toBe("stopped");
    expect(task(first, "1")).toMatchObject({
      status: "pending",
      details: expect.stringContaining("waiting"),
    });
    const card = botMessages(h, GENERAL, mention.ts).find((m) => actionIds(m).includes("octo_approve"));
    if (!card || !first) throw new Error("no approval card");
    expect(Number(card.ts)).toBeGreaterThan(Number(first.ts));
    const callsBefore = streamCalls(h).length;

    await h.delivery.interaction(
      h.emulator.payloads.blockAction({ user: ALICE, message: card, actionId: "octo_approve" }),
    );
    await h.idle();

    const [same, second, ...more] = streams(h, mention.ts);
    expect(more).toEqual([]);
    expect(same?.revisions).toHaveLength(first.revisions.length);
    expect(
      streamCalls(h)
        .slice(callsBefore)
        .some((call) => call.params.ts === first.ts),
    ).toBe(false);
    expect(second?.stream?.state).toBe("stopped");
    expect(Number(second?.ts)).toBeGreaterThan(Number(card.ts));
    expect(task(second, "1")?.statuses.at(-1)).toBe("complete");
    expect(second?.text).toContain("contract templates kept with Octostrator");
  });

  it("waits out a 429 on a stream write as Retry-After says, and still ends the plan and the answer", async () => {
    h.emulator.faults.rateLimit("chat.appendStream", { retryAfterSeconds: 1, times: 1 });
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for rays" });
    await h.delivery.event(mention.body);
    await h.idle();
    const [message] = streams(h, mention.ts);
    const appends = h.emulator.callsOf("chat.appendStream", (call) => call.params.ts === message?.ts);
    expect(appends[0]?.status).toBe(429);
    // The client retried once after the wait, rather than trying again and again.
    expect(appends.slice(1).every((call) => call.status === 200)).toBe(true);
    expect(h.logs.some((line) => line.msg.includes("Slack rate limit") && line.retryAfterSeconds === 1)).toBe(
      true,
    );
    expect(task(message, "1")?.status).toBe("complete");
    expect(message?.stream?.state).toBe("stopped");
    expect(message?.text).toContain("rays");
  });

  it("keeps each streamed text within 12,000 characters and continues a long answer in a follow-up", async () => {
    longAnswer = prose(15_000);
    const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for arms" });
    await h.delivery.event(mention.body);
    await h.idle();
    longAnswer = "";
    const [message] = streams(h, mention.ts);
    const texts = streamCalls(h)
      .filter((call) => call.params.ts === message?.ts || call.params.thread_ts === mention.ts)
      .flatMap((call) => (call.params.chunks as { type: string; text?: string }[] | undefined) ?? [])
      .filter((chunk) => chunk.type === "markdown_text")
      .map((chunk) => chunk.text ?? "");
    expect(texts).toHaveLength(1);
    expect(texts[0]?.length).toBeLessThanOrEqual(12_000);
    const followUp = botMessages(h, GENERAL, mention.ts).find((m) => !m.stream);
    expect(shownText(followUp as EmulatedMessage)).toContain("continued (2/2)");
    const shown = `${message?.text}${shownText(followUp as EmulatedMessage)}`.replace(/\s+/g, "");
    expect(shown).toContain(longAnswer.slice(-200).replace(/\s+/g, ""));
  });

  it("puts an answer past about two messages in answer.md, noted below the stream", async () => {
    longAnswer = prose(31_000);
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search for more arms",
    });
    await h.delivery.event(mention.body);
    await h.idle();
    longAnswer = "";
    const [message] = streams(h, mention.ts);
    expect(message?.text.length).toBeLessThanOrEqual(12_000);
    expect(shownText(message as EmulatedMessage)).toContain("answer.md");
    expect(h.emulator.workspace.filesIn(GENERAL, mention.ts).map((file) => file.filename)).toEqual([
      "answer.md",
    ]);
  });
});

describe("Slack progress falls back to the card", () => {
  it("when Slack refuses a stream write mid-run: the card shows everything, later runs there skip streams", async () => {
    const h = await streaming();
    try {
      h.emulator.faults.error("chat.appendStream", "not_allowed_token_type");
      const mention = h.emulator.payloads.mention({
        user: ALICE,
        channel: GENERAL,
        text: "search for squid",
      });
      await h.delivery.event(mention.body);
      await h.idle();
      const [stream] = streams(h, mention.ts);
      // Not left open: the refused stream is stopped.
      expect(stream?.stream?.state).toBe("stopped");
      const [card, answer, ...rest] = botMessages(h, GENERAL, mention.ts).filter((m) => !m.stream);
      expect(rest).toEqual([]);
      expect(shownText(card as EmulatedMessage)).toContain("1/1");
      expect(shownText(card as EmulatedMessage)).toContain("search");
      expect(shownText(answer as EmulatedMessage)).toContain("agent handled");
      const refusals = h.logs.filter((line) => line.msg.startsWith("Slack refused to stream progress"));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ level: 30, reason: "not_allowed_token_type", team: "T0OCTO" });

      const before = streamCalls(h).length;
      const next = h.emulator.payloads.mention({
        user: ALICE,
        channel: GENERAL,
        text: "search for squid ink",
      });
      await h.delivery.event(next.body);
      await h.idle();
      expect(streamCalls(h).length).toBe(before);
      expect(botMessages(h, GENERAL, next.ts)).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it("says so as a warning in stream mode, when the app has no streaming at all", async () => {
    const h = await SlackHarness.start({ env: { OCTO_SLACK_PROGRESS: "stream" } });
    try {
      const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for kelp" });
      await h.delivery.event(mention.body);
      await h.idle();
      expect(h.emulator.callsOf("chat.startStream").map((call) => call.response.error)).toEqual([
        "feature_not_enabled",
      ]);
      const refusal = h.logs.find((line) => line.msg.startsWith("Slack refused to stream progress"));
      expect(refusal).toMatchObject({ level: 40, reason: "feature_not_enabled" });
      const [card, answer] = botMessages(h, GENERAL, mention.ts);
      expect(card?.revisions.length).toBeGreaterThan(0);
      expect(shownText(answer as EmulatedMessage)).toContain("agent handled");
    } finally {
      await h.close();
    }
  });

  it("never calls the stream methods in card mode", async () => {
    const h = await streaming({ env: { OCTO_SLACK_PROGRESS: "card" } });
    try {
      const mention = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for eels" });
      await h.delivery.event(mention.body);
      await h.idle();
      expect(streamCalls(h)).toEqual([]);
      expect(botMessages(h, GENERAL, mention.ts)).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
});

describe("Slack progress streams after a crash", () => {
  const plan = () => ({
    steps: [
      { id: 1, agent: "search", task: "find", description: "", depends_on: [], needs_approval: false },
      { id: 2, agent: "data", task: "analyse", description: "", depends_on: [1], needs_approval: false },
    ],
  });

  it("carries on the stream the run had open before the crash: no second stream, nothing posted twice", async () => {
    const h = await streaming({ service: { scripted: { handlers: { plan } } } });
    try {
      const root = h.emulator.payloads.mention({
        user: ALICE,
        channel: GENERAL,
        text: "search then analyse",
      });
      const threadKey = slackThreadKey({ team: "T0OCTO", channel: GENERAL, threadTs: root.ts });
      // What the first life of the bot left: its stream open in the thread, recorded for the run.
      const client = new webApi.WebClient(h.emulator.botToken, { slackApiUrl: h.emulator.apiUrl });
      const opened = await client.chat.startStream({
        channel: GENERAL,
        thread_ts: root.ts,
        recipient_user_id: ALICE,
        recipient_team_id: "T0OCTO",
        task_display_mode: "plan",
        chunks: [{ type: "task_update", id: "1", title: "1. find", status: "in_progress" }],
      });
      const ts = opened.ts as string;
      await h.ledger.recordDelivery("run_cut", threadKey, "stream:1", ts);
      await cutShortRun(h.store, threadKey, new ScriptedLlm({ handlers: { plan } }), {
        platform: "slack",
        requester: ALICE,
      });

      await h.restart();
      await h.idle();

      expect(h.emulator.callsOf("chat.startStream")).toHaveLength(1);
      const [message, ...others] = botMessages(h, GENERAL, root.ts);
      expect(others).toEqual([]);
      expect(message?.ts).toBe(ts);
      expect(message?.stream?.state).toBe("stopped");
      expect(task(message, "2")?.statuses.at(-1)).toBe("complete");
      expect(message?.text).toContain("The data agent handled");
      expect(h.emulator.callsOf("chat.appendStream").every((call) => call.params.ts === ts)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
