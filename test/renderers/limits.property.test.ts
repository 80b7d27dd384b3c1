import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { console as consoleRenderer, discord, slack } from "../../src/renderers/index.js";
import type { Rendered, RenderedFile } from "../../src/renderers/types.js";
import { viewOf } from "../../src/renderers/view.js";
import type { RunResult } from "../../src/supervisor/types.js";
import type { OutputFormat } from "../../src/vocabulary/index.js";
import { resultArbitrary } from "./arbitrary.js";

/**
 * For arbitrary results (0..200 steps, huge strings, Korean, emoji, Markdown, mentions): every payload is
 * within every platform limit, no mention survives, and no step is lost (each is in a message or a file).
 * Formats that draw pictures and PDFs run fewer and smaller cases, since each renders them for real;
 * the 200-step picture and PDF are covered by files.test.ts and the benchmark.
 */

const TEXT_MIME = /^(text\/|application\/json)/;

function textOfFiles(files: RenderedFile[]): string {
  // Split parts join back byte for byte, so a step named across a part boundary is still found.
  return files
    .filter((file) => TEXT_MIME.test(file.mimeType))
    .map((file) => file.data.toString("utf8"))
    .join("");
}

/** Every string inside a payload, for mention and markup checks. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

function stepFound(id: number, messagesText: string, filesText: string): boolean {
  const inMessages = new RegExp(`#${id}(?!\\d)`).test(messagesText);
  const inFiles =
    filesText.includes(`"step_id": ${id},`) ||
    filesText.includes(`"step_${id}"`) ||
    new RegExp(`(Step ${id}\\b|## ${id}단계|\\b${id}단계:)`).test(filesText);
  return inMessages || inFiles;
}

function expectNoStepLost(result: RunResult, rendered: Rendered<unknown>): void {
  const messagesText = strings(rendered.messages).join("\n");
  const filesText = textOfFiles(rendered.files);
  const lost = viewOf(result).steps.filter((step) => !stepFound(step.id, messagesText, filesText));
  expect(lost.map((step) => step.id)).toEqual([]);
}

/** As long as a run link gets: the longest OCTO_PUBLIC_URL allowed and a Discord thread key. */
const RUN_URL = `https://${"o".repeat(180)}.example/runs/${"x".repeat(230)}.${"s".repeat(43)}`;

async function checkSlack(result: RunResult): Promise<void> {
  const rendered = await slack.renderResult(result, result.locale, {
    feedbackRunId: `run_${randomUUID()}`,
    runUrl: RUN_URL,
  });
  expect(rendered.messages.length).toBeGreaterThan(0);
  // The feedback buttons close the answer: once, in its last message.
  const feedback = rendered.messages.map((m) => m.blocks.filter((b) => b.type === "context_actions").length);
  expect(feedback.at(-1)).toBe(1);
  expect(feedback.reduce((sum, n) => sum + n, 0)).toBe(1);
  // So does the "View run" link: once, in the last message.
  const links = rendered.messages.map((m) => JSON.stringify(m.blocks).split(`"url":"${RUN_URL}"`).length - 1);
  expect(links.at(-1)).toBe(1);
  expect(links.reduce((sum, n) => sum + n, 0)).toBe(1);
  for (const message of rendered.messages) {
    const parsed = slack.SlackMessageSchema.safeParse(message);
    expect(parsed.success, parsed.error?.message).toBe(true);
    // Results never mention anyone: any `<!…>`, `<@…>` or `<#…>` would have come from user or model text.
    for (const text of strings(message)) expect(text).not.toMatch(/<[!@#]/);
  }
  expectNoStepLost(result, rendered);
}

async function checkDiscord(result: RunResult, maxFileBytes?: number): Promise<void> {
  const rendered = await discord.renderResult(result, result.locale, {
    runUrl: RUN_URL,
    ...(maxFileBytes ? { maxFileBytes } : {}),
  });
  const limit = maxFileBytes ?? discord.DISCORD_LIMITS.attachmentBytes;
  const links = rendered.messages.map(
    (m) => JSON.stringify(m.components ?? []).split(`"url":"${RUN_URL}"`).length - 1,
  );
  expect(links.at(-1)).toBe(1);
  expect(links.reduce((sum, n) => sum + n, 0)).toBe(1);
  const attached: number[] = [];
  for (const message of rendered.messages) {
    const parsed = discord.DiscordMessageSchema.safeParse(message);
    expect(parsed.success, parsed.error?.message).toBe(true);
    for (const text of strings({ content: message.content, embeds: message.embeds })) {
      expect(text).not.toMatch(/@(everyone|here)/i);
      expect(text).not.toMatch(/<[@#]/);
    }
    const ids = (message.attachments ?? []).map((attachment) => attachment.id);
    attached.push(...ids);
    const bytes = ids.reduce((sum, id) => sum + (rendered.files[id]?.data.length ?? 0), 0);
    expect(bytes).toBeLessThanOrEqual(discord.DISCORD_LIMITS.requestBytes);
  }
  // Every file goes with exactly one message.
  expect([...attached].sort((a, b) => a - b)).toEqual(rendered.files.map((_, index) => index));
  for (const file of rendered.files) expect(file.data.length).toBeLessThanOrEqual(limit);
  expectNoStepLost(result, rendered);
}

async function checkConsole(result: RunResult): Promise<void> {
  const rendered = await consoleRenderer.renderResult(result, result.locale);
  for (const message of rendered.messages) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control characters must not pass.
    expect(message.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  }
  expectNoStepLost(result, rendered);
}

const LIGHT: OutputFormat[] = ["chat", "json"];
const HEAVY: OutputFormat[] = ["graph", "report", "all"];

describe("renderers keep every limit and every step", () => {
  it("chat and json on Slack, Discord and the console", async () => {
    await fc.assert(
      fc.asyncProperty(resultArbitrary(LIGHT), async (result) => {
        await checkSlack(result);
        await checkDiscord(result);
        await checkConsole(result);
      }),
      { numRuns: 40 },
    );
  });

  it("graph, report and all on Slack and Discord", async () => {
    await fc.assert(
      fc.asyncProperty(resultArbitrary(HEAVY, { maxSteps: 40 }), async (result) => {
        await checkSlack(result);
        await checkDiscord(result);
      }),
      { numRuns: 5 },
    );
  });

  it("splits files over a small upload limit and still loses no step", async () => {
    await fc.assert(
      fc.asyncProperty(resultArbitrary(["all", "chat"], { maxSteps: 60 }), async (result) => {
        await checkDiscord(result, 64 * 1024);
      }),
      { numRuns: 3 },
    );
  });
});
