import { describe, expect, it } from "vitest";
import {
  applyRunEvent,
  console as consoleRenderer,
  discord,
  initialProgress,
  slack,
} from "../../src/renderers/index.js";
import type { RenderedFile } from "../../src/renderers/types.js";
import { type Locale, OUTPUT_FORMATS } from "../../src/vocabulary/index.js";
import { fixtureApproval, fixtureEvents, fixtureResult } from "./fixtures.js";

/**
 * Golden files for every format x platform on the Korean and English fixtures, plus the cards. A change
 * in what people see shows up as a diff in `__snapshots__/golden/`; review it, then `vitest -u`.
 */

const LOCALES: Locale[] = ["ko", "en"];
const PLATFORMS = { slack, discord, console: consoleRenderer } as const;

/** Binary files vary in bytes between library builds; their presence and metadata are what we pin. */
function fileSummary(file: RenderedFile) {
  const binary = file.mimeType === "image/png" || file.mimeType === "application/pdf";
  return {
    filename: file.filename,
    mimeType: file.mimeType,
    title: file.title,
    altText: file.altText,
    ...(binary ? {} : { bytes: file.data.length }),
  };
}

const golden = (name: string) => `./__snapshots__/golden/${name}.json`;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe.each(LOCALES)("golden results (%s)", (locale) => {
  for (const [platform, renderer] of Object.entries(PLATFORMS)) {
    it.each(OUTPUT_FORMATS)(`${platform} %s`, async (format) => {
      // As delivered with OCTO_PUBLIC_URL set: the answer names its run (feedback buttons) and links
      // to its live page ("View run").
      const rendered = await renderer.renderResult(fixtureResult(locale, format), locale, {
        feedbackRunId: "run_5f0c2a9e-golden",
        runUrl: "https://octo.example.com/runs/eyJ2IjoxfQ.golden-signature",
      });
      await expect(
        json({ messages: rendered.messages, files: rendered.files.map(fileSummary) }),
      ).toMatchFileSnapshot(golden(`result-${platform}-${format}-${locale}`));
    });
  }
});

describe.each(LOCALES)("golden cards (%s)", (locale) => {
  const card = fixtureApproval(locale);
  const decided = {
    decision: "edit" as const,
    by: "U024BE7LH",
    at: "2025-11-03T09:00:09.900Z",
    edited_task: "NDA *3년* <!channel>",
  };
  const events = fixtureEvents(locale);
  const midway = events
    .slice(
      0,
      events.findIndex((event) => event.type === "step_finished" && event.step_id === 3),
    )
    .reduce(applyRunEvent, initialProgress(locale));
  const finished = events.reduce(applyRunEvent, initialProgress(locale));
  const error = {
    type: "error" as const,
    threadKey: "slack:T1:C1:1",
    runId: "run_1",
    locale,
    at: "2025-11-03T09:00:05.000Z",
    kind: "llm_timeout" as const,
    message:
      locale === "ko"
        ? "언어 모델이 제시간에 응답하지 않았습니다. <!here>"
        : "The language model did not answer in time. <!here>",
    retryable: true,
  };
  // `/octo history`: turns with and without ratings, one waiting approval, the conversation's total.
  const history = {
    title: locale === "ko" ? "비밀유지계약서 초안" : "Draft an NDA",
    status: "completed",
    turnCount: 3,
    turns: [
      { index: 1, request: card.task, feedback: { up: 2, down: 1 } },
      { index: 2, request: "<!channel> *again*", feedback: { up: 0, down: 0 } },
      {
        index: 3,
        request: locale === "ko" ? "3년으로 바꿔 주세요" : "make it 3 years",
        feedback: { up: 0, down: 1 },
      },
    ],
    pending: [{ step: 2, agent: "contract" }],
    checkpoints: 12,
    feedback: { up: 2, down: 3 },
  };
  for (const [platform, renderer] of Object.entries(PLATFORMS)) {
    it(`${platform} cards`, async () => {
      const cards = {
        approval: renderer.renderApprovalCard(card, locale),
        approvalDecided: renderer.renderApprovalCard(card, locale, decided),
        progressMidway: renderer.renderProgress(midway, locale, { now: "2025-11-03T09:00:15.000Z" }),
        progressFinished: renderer.renderProgress(finished, locale),
        error: renderer.renderError(error, locale, { retryId: "run_1" }),
        errorWithoutRetry: renderer.renderError(error, locale),
        help: renderer.renderHelp(locale, { commandName: "/octo" }),
        history: renderer.renderNotice({ kind: "history", history, command: "/octo" }, locale),
        feedbackRecorded: renderer.renderNotice(
          { kind: "feedback", rating: "up", previous: undefined },
          locale,
        ),
        feedbackChanged: renderer.renderNotice({ kind: "feedback", rating: "down", previous: "up" }, locale),
      };
      await expect(json(cards)).toMatchFileSnapshot(golden(`cards-${platform}-${locale}`));
    });
  }
});
