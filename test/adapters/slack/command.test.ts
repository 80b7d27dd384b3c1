import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, BOB, botMessages, GENERAL, SlackHarness, shownText } from "./harness.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("/octo slash command", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await SlackHarness.start();
  });
  afterAll(() => h?.close());

  /** Runs a command and returns the root message it posted (the conversation's thread). */
  async function runCommand(user: string, text: string) {
    const ack = await h.delivery.command(h.emulator.payloads.command({ user, channel: GENERAL, text }));
    expect(ack).toEqual({ status: 200, body: undefined });
    await h.idle();
    const root = h.emulator.workspace.messages
      .filter((m) => m.botId && !m.threadTs && m.channel === GENERAL)
      .at(-1);
    if (!root) throw new Error("no root message posted");
    return root;
  }

  it("/octo graph posts a root message and answers in its thread with a PNG and the graph JSON", async () => {
    const root = await runCommand(ALICE, "graph search for deep sea fish then analyze the data");
    expect(shownText(root)).toContain(`<@${ALICE}>`);
    expect(shownText(root)).toContain("search for deep sea fish then analyze the data");
    const replies = botMessages(h, GENERAL, root.ts).filter((m) => m.ts !== root.ts);
    expect(replies.length).toBeGreaterThanOrEqual(2);
    const files = h.emulator.workspace.filesIn(GENERAL, root.ts);
    const png = files.find((f) => f.filename.endsWith(".png"));
    const json = files.find((f) => f.filename.endsWith(".json"));
    expect(png?.data?.subarray(0, 8).equals(PNG)).toBe(true);
    const graph = JSON.parse(json?.data?.toString("utf8") ?? "{}") as {
      nodes?: unknown[];
      edges?: unknown[];
    };
    expect(graph.nodes).toHaveLength(2);
    expect(graph.edges).toHaveLength(1);
  });

  it("/octo report answers with a PDF and a Markdown file", async () => {
    const root = await runCommand(ALICE, "report search for whale songs");
    const files = h.emulator.workspace.filesIn(GENERAL, root.ts);
    const pdf = files.find((f) => f.filename.endsWith(".pdf"));
    const md = files.find((f) => f.filename.endsWith(".md"));
    expect(pdf?.data?.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(md?.data?.toString("utf8")).toContain("whale songs");
  });

  it("answers help, an empty request and an unknown format with ephemeral usage in the acknowledgement", async () => {
    const before = h.emulator.calls.length;
    for (const [text, expected] of [
      ["help", "/octo history"],
      ["", "/octo"],
      ["graph", "/octo"],
      ["pdf the quarterly numbers", 'I don\'t know the format "pdf"'],
      ["rewind", "rewind 1"],
    ] as const) {
      const ack = await h.delivery.command(
        h.emulator.payloads.command({ user: BOB, channel: GENERAL, text }),
      );
      expect(ack.status).toBe(200);
      const body = ack.body as { response_type?: string; text?: string; blocks?: unknown[] };
      expect(body.response_type).toBe("ephemeral");
      expect(shownText({ text: body.text ?? "", blocks: body.blocks })).toContain(expected);
    }
    await h.idle();
    expect(h.emulator.calls.slice(before)).toEqual([]);
  });

  it("history, rewind and forget act on the person's latest conversation in the channel, ephemerally", async () => {
    const root = await runCommand(BOB, "search for manta rays");
    const say = async (text: string) => {
      await h.delivery.command(h.emulator.payloads.command({ user: BOB, channel: GENERAL, text }));
      await h.idle();
      const reply = h.emulator.workspace.ephemerals.at(-1);
      expect(reply?.user).toBe(BOB);
      return shownText(reply ?? { text: "" });
    };
    expect(await say("history")).toContain("search for manta rays");
    expect(await say("rewind 5")).toContain("only 1 turn");
    expect(await say("rewind 1")).toContain("now has 0 turn");
    expect(await say("forget")).toContain("Forgot");
    expect(await say("history")).toContain("no conversation");
    expect(h.emulator.workspace.message(GENERAL, root.ts)).toBeDefined();
  });

  it("tells the person how to invite the bot when it cannot post in the channel", async () => {
    h.emulator.faults.error("chat.postMessage", "not_in_channel");
    await h.delivery.command(h.emulator.payloads.command({ user: BOB, channel: GENERAL, text: "search x" }));
    await h.idle();
    const response = await h.emulator.waitForCall("response_url");
    expect(response.params).toMatchObject({ response_type: "ephemeral" });
    expect(String(response.params.text)).toContain("/invite");
    expect(
      h.logs.some((line) => line.msg === "Slack API call failed" && line.error === "not_in_channel"),
    ).toBe(true);
  });
});
