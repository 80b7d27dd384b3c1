import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SendInput } from "../../../src/conversations/types.js";
import { MAX_ATTACHMENT_BYTES } from "../../../src/delivery/attachments.js";
import { ScriptedLlm } from "../../../src/llm/scripted.js";
import { ALICE, botMessages, DM, GENERAL, SlackHarness, shownText } from "./harness.js";

/** Files attached to requests: text-like ones are downloaded with the bot token and reach the agents. */
describe("Slack attachments", () => {
  let h: SlackHarness;
  const llm = new ScriptedLlm();
  const sent: SendInput[] = [];
  beforeAll(async () => {
    h = await SlackHarness.start({ service: { llm } });
    const send = h.service.send.bind(h.service);
    vi.spyOn(h.service, "send").mockImplementation((input) => {
      sent.push(input);
      return send(input);
    });
  });
  afterAll(() => h?.close());

  const SALES = "region,total\nnorth,42\nsouth,17\n";

  /** Everything the agents were shown for the turns that mention `marker`. */
  const agentPrompts = (marker: string) =>
    llm.calls
      .filter((call) => call.purpose.startsWith("agent:"))
      .map((call) => call.messages.map((message) => message.content).join("\n"))
      .filter((prompt) => prompt.includes(marker));

  const downloads = () => h.emulator.callsOf("file_download");

  it("downloads a CSV attached to a mention and shows its text to the agents", async () => {
    const csv = h.emulator.payloads.userFile({ user: ALICE, name: "sales.csv", content: SALES });
    const chart = h.emulator.payloads.userFile({
      user: ALICE,
      name: "chart.png",
      content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    });
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "analyze the sales data by region",
      files: [csv, chart],
    });
    await h.delivery.event(mention.body);
    await h.idle();

    expect(downloads().map((call) => [call.params.file_id, call.auth, call.status])).toEqual([
      [csv.id, "bot", 200],
    ]);
    expect(sent.at(-1)?.attachments).toEqual([
      { name: "sales.csv", mimeType: "text/csv", size: SALES.length, text: SALES },
      { name: "chart.png", mimeType: "image/png", size: 7 },
    ]);
    const prompts = agentPrompts("analyze the sales data by region");
    expect(prompts.length).toBeGreaterThan(0);
    expect(prompts[0]).toContain(`Attached file sales.csv:\n${SALES.trim()}`);
    expect(prompts[0]).not.toContain("chart.png:");
    expect(botMessages(h, GENERAL, mention.ts).some((m) => shownText(m).includes("completed ·"))).toBe(true);
  });

  it("does not download a file over 1 MiB, and still runs the request with the others", async () => {
    const big = h.emulator.payloads.userFile({
      user: ALICE,
      name: "huge.csv",
      content: `${"a,b\n".repeat(MAX_ATTACHMENT_BYTES / 4)}x`,
    });
    const small = h.emulator.payloads.userFile({
      user: ALICE,
      name: "notes.md",
      content: "# Notes\nkeep it short",
    });
    const before = downloads().length;
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "analyze the huge data",
      files: [big, small],
    });
    await h.delivery.event(mention.body);
    await h.idle();

    expect(
      downloads()
        .slice(before)
        .map((call) => call.params.file_id),
    ).toEqual([small.id]);
    expect(sent.at(-1)?.attachments).toEqual([
      { name: "huge.csv", mimeType: "text/csv", size: MAX_ATTACHMENT_BYTES + 1 },
      { name: "notes.md", mimeType: "text/markdown", size: 21, text: "# Notes\nkeep it short" },
    ]);
    expect(agentPrompts("analyze the huge data")[0]).toContain("Attached file notes.md");
    expect(h.logs.find((line) => line.reason === "too_large")).toMatchObject({ name: "huge.csv" });
  });

  it("stops a download that runs past 1 MiB whatever size the file claimed, logs it and goes on", async () => {
    const liar = h.emulator.payloads.userFile({
      user: ALICE,
      name: "claims-small.txt",
      content: "z".repeat(MAX_ATTACHMENT_BYTES + 10),
      size: 10,
    });
    const gone = h.emulator.payloads.userFile({ user: ALICE, name: "deleted.txt", content: "bye" });
    h.emulator.workspace.files.delete(String(gone.id));
    const fine = h.emulator.payloads.userFile({ user: ALICE, name: "fine.json", content: '{"ok":true}' });
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "analyze the three data files",
      files: [liar, gone, fine],
    });
    await h.delivery.event(mention.body);
    await h.idle();

    expect(sent.at(-1)?.attachments?.map((file) => [file.name, file.text])).toEqual([
      ["claims-small.txt", undefined],
      ["deleted.txt", undefined],
      ["fine.json", '{"ok":true}'],
    ]);
    const failures = h.logs.filter((line) => line.msg.startsWith("could not download a Slack file"));
    expect(failures.map((line) => [line.name, line.reason])).toEqual([
      ["claims-small.txt", "too_large"],
      ["deleted.txt", "http_404"],
    ]);
    expect(botMessages(h, GENERAL, mention.ts).some((m) => shownText(m).includes("completed ·"))).toBe(true);
  });

  it("reads files shared in a DM without text, and in a reply in a conversation's thread", async () => {
    const dmFile = h.emulator.payloads.userFile({
      user: ALICE,
      name: "todo.txt",
      content: "search for ferns",
    });
    const dm = h.emulator.payloads.message({ user: ALICE, channel: DM, text: "", files: [dmFile] });
    await h.delivery.event(dm.body);
    await h.idle();
    expect(sent.at(-1)).toMatchObject({
      text: "todo.txt",
      attachments: [{ name: "todo.txt", text: "search for ferns" }],
    });

    const root = h.emulator.payloads.mention({ user: ALICE, channel: GENERAL, text: "search for mosses" });
    await h.delivery.event(root.body);
    await h.idle();
    const replyFile = h.emulator.payloads.userFile({
      user: ALICE,
      name: "list.tsv",
      content: "a\tb\n1\t2\n",
    });
    const reply = h.emulator.payloads.message({
      user: ALICE,
      channel: GENERAL,
      text: "search these too",
      threadTs: root.ts,
      files: [replyFile],
    });
    await h.delivery.event(reply.body);
    await h.idle();
    expect(sent.at(-1)).toMatchObject({
      text: "search these too",
      attachments: [{ name: "list.tsv", mimeType: "text/tab-separated-values", text: "a\tb\n1\t2\n" }],
    });
  });

  it("never sends the bot token anywhere but Slack", async () => {
    const foreign = {
      id: "F0FOREIGN",
      name: "elsewhere.txt",
      mimetype: "text/plain",
      size: 5,
      url_private_download: "http://127.0.0.2:9/files-pri/T0OCTO-F0FOREIGN/download/elsewhere.txt",
    };
    const mention = h.emulator.payloads.mention({
      user: ALICE,
      channel: GENERAL,
      text: "search the elsewhere file",
      files: [foreign],
    });
    await h.delivery.event(mention.body);
    await h.idle();
    expect(sent.at(-1)?.attachments).toEqual([{ name: "elsewhere.txt", mimeType: "text/plain", size: 5 }]);
    expect(h.logs.find((line) => line.name === "elsewhere.txt")).toMatchObject({ reason: "not_a_slack_url" });
  });
});
