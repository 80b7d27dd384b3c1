import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { console as consoleRenderer, discord, slack } from "../../src/renderers/index.js";
import { splitEscaped } from "../../src/renderers/text.js";
import { fixtureApproval, fixtureResult } from "./fixtures.js";

/** Escaping, splitting, the limit schemas themselves, and the interactive parts of the cards. */

const error = {
  type: "error" as const,
  threadKey: "t",
  runId: "r",
  locale: "en" as const,
  at: "2025-11-03T09:00:00.000Z",
  kind: "run_failed" as const,
  message: "",
  retryable: true,
};

describe("Slack text", () => {
  it("turns mention and link markup into literal text", () => {
    const escaped = slack.escapeMrkdwn(
      "<!channel> <@U123> <#C1|general> <https://x.y|click> & *bold* `code`",
    );
    expect(escaped).not.toMatch(/<[!@#h]/);
    expect(escaped).toContain("&lt;!channel\u200b&gt;");
    expect(escaped).toContain("&amp;");
    expect(escaped).toContain("*\u200bbold*\u200b");
  });

  it("translates the model's Markdown and still escapes control characters", () => {
    expect(slack.markdownToMrkdwn("# Title\n**bold** and [site](https://a.b/?x=1&y=2)\n- item <!here>")).toBe(
      "*Title*\n*bold* and <https://a.b/?x=1&amp;y=2|site> (a.b)\n• item &lt;!here&gt;",
    );
    expect(slack.markdownToMrkdwn("```\n**kept** <b>\n```")).toBe("```\n**kept** &lt;b&gt;\n```");
  });

  it("shows the real host beside a link whose label is not its URL", () => {
    expect(slack.markdownToMrkdwn("Pay via [your bank](https://evil.example/x?a=1&b=2).")).toBe(
      "Pay via <https://evil.example/x?a=1&amp;b=2|your bank> (evil.example).",
    );
    expect(slack.markdownToMrkdwn("[https://bank.example](https://bank.example@evil.example)")).toBe(
      "<https://bank.example@evil.example|https://bank.example> (evil.example)",
    );
    expect(slack.markdownToMrkdwn("[a.example/x](https://a.example/x)")).toBe(
      "<https://a.example/x|a.example/x>",
    );
  });

  it("splits escaped text into pieces that fit and rejoin to the whole", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 4000 }),
        fc.integer({ min: 8, max: 500 }),
        (text, max) => {
          const chunks = splitEscaped(text, max, slack.escapeMrkdwn);
          expect(chunks.join("")).toBe(slack.escapeMrkdwn(text));
          for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("Discord text", () => {
  it("breaks every mention form and escapes Markdown", () => {
    const escaped = discord.escapeDiscord("@everyone @here <@123456789012345678> <@&42> <#9> **b** # h");
    expect(escaped).not.toMatch(/@(everyone|here)/);
    expect(escaped).not.toMatch(/<[@#]/);
    expect(escaped).toContain("\\*\\*b\\*\\*");
    expect(discord.neutralizeMentions("**kept** @everyone")).toBe("**kept** @\u200beveryone");
  });

  it("shows the real host beside a link whose label is not its URL, in the rendered answer", async () => {
    const result = fixtureResult("en", "chat");
    result.aggregated_data.final_answer =
      "Pay via [your bank](https://evil.example/x), see [https://a.example](https://a.example).";
    const rendered = await discord.renderResult(result, "en");
    const shown = JSON.stringify(rendered.messages);
    expect(shown).toContain("[your bank](https://evil.example/x) (evil.example)");
    expect(shown).toContain("[https://a.example](https://a.example).");
  });
});

describe("limit schemas", () => {
  const section = (text: string) => ({ type: "section" as const, text: { type: "mrkdwn" as const, text } });

  it("refuse what Slack would refuse", () => {
    const ok = { text: "t", blocks: [section("x")] };
    expect(slack.SlackMessageSchema.safeParse(ok).success).toBe(true);
    expect(slack.SlackMessageSchema.safeParse({ ...ok, text: "" }).success).toBe(false);
    expect(
      slack.SlackMessageSchema.safeParse({ text: "t", blocks: [section("x".repeat(3001))] }).success,
    ).toBe(false);
    expect(
      slack.SlackMessageSchema.safeParse({
        text: "t",
        blocks: Array.from({ length: 51 }, () => section("x")),
      }).success,
    ).toBe(false);
    expect(
      slack.SlackMessageSchema.safeParse({
        text: "t",
        blocks: Array.from({ length: 5 }, () => section("x".repeat(2900))),
      }).success,
    ).toBe(false);
    const header = { type: "header" as const, text: { type: "plain_text" as const, text: "h".repeat(151) } };
    expect(slack.SlackMessageSchema.safeParse({ text: "t", blocks: [header] }).success).toBe(false);
  });

  it("refuse what Discord would refuse", () => {
    const message = (embeds: object[]) => ({ embeds, allowed_mentions: { parse: [] } });
    expect(discord.DiscordMessageSchema.safeParse(message([{ description: "x".repeat(4096) }])).success).toBe(
      true,
    );
    expect(discord.DiscordMessageSchema.safeParse(message([{ description: "x".repeat(4097) }])).success).toBe(
      false,
    );
    expect(
      discord.DiscordMessageSchema.safeParse(
        message([{ description: "x".repeat(4000) }, { description: "x".repeat(2001) }]),
      ).success,
    ).toBe(false);
    expect(
      discord.DiscordMessageSchema.safeParse({ content: "x".repeat(2001), allowed_mentions: { parse: [] } })
        .success,
    ).toBe(false);
    expect(
      discord.DiscordMessageSchema.safeParse({ content: "x", allowed_mentions: { parse: ["everyone"] } })
        .success,
    ).toBe(false);
    const fields = Array.from({ length: 26 }, () => ({ name: "n", value: "v" }));
    expect(discord.DiscordMessageSchema.safeParse(message([{ fields }])).success).toBe(false);
  });
});

describe("approval cards", () => {
  const card = fixtureApproval("en");
  const decided = { decision: "reject" as const, by: "U999", at: "2025-11-03T09:10:00.000Z" };

  it("Slack buttons carry only the approval id", () => {
    const message = slack.renderApprovalCard(card, "en");
    const actions = message.blocks.find((block) => block.type === "actions");
    expect(
      actions?.type === "actions" && actions.elements.map((button) => [button.action_id, button.value]),
    ).toEqual([
      ["octo_approve", card.approval_id],
      ["octo_reject", card.approval_id],
      ["octo_edit", card.approval_id],
    ]);
    const after = slack.renderApprovalCard(card, "en", decided);
    expect(after.blocks.some((block) => block.type === "actions")).toBe(false);
    expect(JSON.stringify(after)).toContain("<@U999>");
    expect(JSON.stringify(after)).toContain("<!date^");
  });

  it("Discord custom ids carry only the approval id and decided cards clear the buttons", () => {
    const message = discord.renderApprovalCard(card, "en");
    expect(
      message.components?.[0]?.components.map((button) =>
        "custom_id" in button ? button.custom_id : button.url,
      ),
    ).toEqual([
      `octo:approve:${card.approval_id}`,
      `octo:reject:${card.approval_id}`,
      `octo:edit:${card.approval_id}`,
    ]);
    expect(discord.renderApprovalCard(card, "en", decided).components).toEqual([]);
  });

  it("refuses ids that would not fit a button instead of sending an invalid one", () => {
    const long = { ...card, approval_id: "a".repeat(90) };
    expect(() => discord.renderApprovalCard(long, "en")).toThrow(RangeError);
    expect(() => slack.renderApprovalCard({ ...card, approval_id: "a".repeat(2001) }, "en")).toThrow(
      RangeError,
    );
  });

  it("keeps a card with a huge task to one valid message", () => {
    const huge = { ...card, task: "긴 작업 *설명* ".repeat(2000), reason: "<!channel> ".repeat(500) };
    expect(slack.SlackMessageSchema.safeParse(slack.renderApprovalCard(huge, "ko")).success).toBe(true);
    expect(discord.DiscordMessageSchema.safeParse(discord.renderApprovalCard(huge, "ko")).success).toBe(true);
  });
});

describe("errors", () => {
  it("offer a retry button only with a retry id, and fall back to the localized text", () => {
    const withRetry = slack.renderError(error, "ko", { retryId: "run_1" });
    expect(JSON.stringify(withRetry)).toContain('"action_id":"octo_retry","value":"run_1"');
    expect(JSON.stringify(withRetry)).toContain("다시 시도해 주세요");
    expect(slack.renderError(error, "ko").blocks.some((block) => block.type === "actions")).toBe(false);
    expect(
      discord.renderError(error, "en", { retryId: "run_1" }).components?.[0]?.components[0],
    ).toMatchObject({
      custom_id: "octo:retry:run_1",
    });
    expect(discord.renderError(error, "en").components).toBeUndefined();
    expect(consoleRenderer.renderError({ ...error, message: "bad \u001b[2J" }, "en").text).not.toContain(
      "\u001b",
    );
  });
});
