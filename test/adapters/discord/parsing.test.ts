import { describe, expect, it } from "vitest";
import {
  classifyMessage,
  isIgnored,
  placeOfChannel,
  readMessage,
} from "../../../src/adapters/discord/inbound.js";
import {
  localeOfDiscord,
  parseButton,
  parseEditSubmission,
  parseInteraction,
  parseOctoInteraction,
} from "../../../src/adapters/discord/interaction-parsing.js";
import { discordTextToPlain, threadName } from "../../../src/adapters/discord/text.js";
import { discord } from "../../../src/renderers/index.js";

const BOT = "100000000000000001";
const ALICE = "200000000000000002";
const GUILD = "300000000000000003";
const GENERAL = "400000000000000004";
const THREAD = "500000000000000005";
const DM = "600000000000000006";

function message(over: Record<string, unknown> = {}) {
  return {
    id: "700000000000000007",
    channel_id: GENERAL,
    guild_id: GUILD,
    author: { id: ALICE, username: "alice" },
    type: 0,
    content: `<@${BOT}> compare our vendors`,
    mentions: [{ id: BOT, username: "octo" }],
    attachments: [],
    ...over,
  };
}

function classify(data: Record<string, unknown>, place = placeOfChannel(0, null)) {
  const read = readMessage(data, BOT);
  if (isIgnored(read)) return read;
  return classifyMessage(read, place, BOT);
}

describe("Discord messages", () => {
  it("a mention in a text channel asks for a thread started on it, named from the request", () => {
    expect(classify(message())).toEqual({
      kind: "request",
      trigger: "mention",
      thread: { guild: GUILD, channel: GENERAL, thread: "700000000000000007" },
      startThread: { name: "compare our vendors" },
      messageId: "700000000000000007",
      user: ALICE,
      text: "compare our vendors",
      files: [],
    });
    expect(classify(message({ content: "hello all", mentions: [] }))).toMatchObject({ kind: "ignore" });
  });

  it("any message in a thread continues it (a plain one only where a conversation is), and DMs need no mention", () => {
    const inThread = classify(
      message({ channel_id: THREAD, content: "and the third one?", mentions: [] }),
      placeOfChannel(11, GENERAL),
    );
    expect(inThread).toMatchObject({
      trigger: "thread_reply",
      thread: { guild: GUILD, channel: GENERAL, thread: THREAD },
      startThread: undefined,
    });
    expect(classify(message({ channel_id: THREAD }), placeOfChannel(11, GENERAL))).toMatchObject({
      trigger: "mention",
      startThread: undefined,
    });
    const dm = classify(
      message({ channel_id: DM, guild_id: undefined, content: "hi there", mentions: [] }),
      placeOfChannel(1, null),
    );
    expect(dm).toMatchObject({ trigger: "dm", thread: { guild: "@me", channel: DM, thread: DM } });
  });

  it("ignores bots, webhooks, itself, system messages and empty thread chatter", () => {
    const reasons = [
      message({ author: { id: "9".repeat(18), bot: true } }),
      message({ webhook_id: "8".repeat(18) }),
      message({ author: { id: BOT } }),
      message({ type: 7 }),
      message({ type: 18 }),
      { t: "not a message" },
    ].map((data) => classify(data));
    expect(reasons.every((result) => result.kind === "ignore")).toBe(true);
    const empty = classify(
      message({ channel_id: THREAD, content: "", mentions: [] }),
      placeOfChannel(11, GENERAL),
    );
    expect(empty).toMatchObject({ kind: "ignore", reason: expect.stringContaining("Message Content") });
    expect(classify(message(), placeOfChannel(2, null))).toMatchObject({ kind: "ignore" });
  });

  it("passes attachments on as file references and names them when the text is empty", () => {
    const file = {
      id: "1",
      filename: "sales.csv",
      content_type: "text/csv",
      size: 12,
      url: "https://cdn.discordapp.com/attachments/1/2/sales.csv?ex=1",
    };
    const got = classify(message({ content: `<@${BOT}>`, attachments: [file] }));
    expect(got).toMatchObject({
      text: "sales.csv",
      files: [{ id: "1", name: "sales.csv", mimeType: "text/csv", size: 12, downloadUrl: file.url }],
    });
  });

  it("reads the text with the bot's mention removed and other mentions as names", () => {
    const mentions = [{ id: ALICE, username: "alice", global_name: "Alice K" }];
    expect(discordTextToPlain(`<@!${BOT}> ask <@${ALICE}> about <:kelp:123> <@&55>`, BOT, mentions)).toBe(
      "ask @Alice K about :kelp: <@&55>",
    );
    expect(threadName("  a\n\nrequest  ")).toBe("a request");
    expect(threadName("x".repeat(300))).toHaveLength(100);
    expect(threadName("")).toBe("Octostrator");
  });
});

describe("Discord interactions", () => {
  const command = (sub: string, options: unknown[] = []) => ({
    name: "octo",
    type: 1,
    options: [{ type: 1, name: sub, options }],
  });

  it("reads /octo sub-commands and their options as the delivery layer's commands", () => {
    expect(
      parseOctoInteraction(
        command("ask", [
          { name: "request", type: 3, value: "  map our vendors " },
          { name: "format", type: 3, value: "graph" },
        ]),
      ),
    ).toEqual({ kind: "run", format: "graph", request: "map our vendors" });
    expect(parseOctoInteraction(command("ask", [{ name: "request", type: 3, value: "x" }]))).toEqual({
      kind: "run",
      format: undefined,
      request: "x",
    });
    expect(parseOctoInteraction(command("ask", [{ name: "request", type: 3, value: "  " }]))).toMatchObject({
      kind: "usage",
      problem: "empty",
    });
    expect(
      parseOctoInteraction(
        command("ask", [
          { name: "request", type: 3, value: "x" },
          { name: "format", type: 3, value: "pdf" },
        ]),
      ),
    ).toMatchObject({ kind: "usage", problem: "unknown_format", detail: "pdf" });
    expect(parseOctoInteraction(command("rewind", [{ name: "n", type: 4, value: 2 }]))).toEqual({
      kind: "rewind",
      turns: 2,
    });
    expect(parseOctoInteraction(command("rewind", [{ name: "n", type: 4, value: 0 }]))).toMatchObject({
      kind: "usage",
      problem: "bad_rewind",
    });
    for (const kind of ["history", "forget", "help"] as const)
      expect(parseOctoInteraction(command(kind))).toEqual({ kind });
    expect(parseOctoInteraction(command("dance"))).toEqual({ kind: "unknown", name: "octo dance" });
    expect(parseOctoInteraction({ name: "other", options: [] })).toMatchObject({ kind: "unknown" });
    expect(parseOctoInteraction("junk")).toMatchObject({ kind: "unknown" });
  });

  it("reads who clicked, their roles and language, in a guild and in a DM", () => {
    const base = { id: "1", application_id: BOT, type: 3, token: "tok", data: {} };
    expect(
      parseInteraction({
        ...base,
        guild_id: GUILD,
        channel: { id: THREAD, type: 11, parent_id: GENERAL },
        member: { user: { id: ALICE }, roles: ["r1", "r2"] },
        locale: "ko",
        message: { id: "m1" },
      }),
    ).toMatchObject({
      user: ALICE,
      roles: ["r1", "r2"],
      channelId: THREAD,
      channelHint: { type: 11, parent_id: GENERAL },
      locale: "ko",
      messageId: "m1",
    });
    expect(parseInteraction({ ...base, channel_id: DM, user: { id: ALICE } })).toMatchObject({
      user: ALICE,
      roles: [],
      guildId: undefined,
    });
    expect(parseInteraction({ ...base })).toBeUndefined();
    expect(parseInteraction({ type: 1 })).toBeUndefined();
    expect(localeOfDiscord("ko")).toBe("ko");
    expect(localeOfDiscord("en-US")).toBe("en");
    expect(localeOfDiscord(undefined)).toBe("en");
  });

  it("maps button custom ids (only an opaque id after the prefix) to card actions", () => {
    const id = "apr_0123456789abcdef01234567";
    for (const [action, prefix] of Object.entries(discord.DISCORD_ACTIONS))
      expect(parseButton({ custom_id: `${prefix}${id}` })).toEqual({ action, id });
    expect(parseButton({ custom_id: "octo:approve:" })).toBeUndefined();
    expect(parseButton({ custom_id: "someone:else" })).toBeUndefined();
  });

  it("renders the edit modal within Discord's limits and reads its submission back", () => {
    const form = {
      approvalId: "apr_0123456789abcdef01234567",
      step: 2,
      agent: "contract",
      task: "t".repeat(5000),
    };
    const modal = discord.renderEditModal(form, "800000000000000008", "ko");
    expect(discord.DiscordModalSchema.safeParse(modal).success).toBe(true);
    expect(modal.components[0]?.components[0]?.value).toHaveLength(4000);
    const submitted = {
      custom_id: modal.custom_id,
      components: [{ type: 1, components: [{ type: 4, custom_id: "task", value: "  a shorter NDA " }] }],
    };
    expect(parseEditSubmission(submitted)).toEqual({
      approvalId: form.approvalId,
      cardMessageId: "800000000000000008",
      task: "a shorter NDA",
    });
    // The newer layout puts the input inside a label component.
    const labelled = {
      custom_id: modal.custom_id,
      components: [{ type: 18, component: { type: 4, custom_id: "task", value: "x" } }],
    };
    expect(parseEditSubmission(labelled)?.task).toBe("x");
    expect(parseEditSubmission({ custom_id: "octo:approve:x", components: [] })).toBeUndefined();
  });
});
