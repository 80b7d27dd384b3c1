import { z } from "zod";

/**
 * Slack's limits, in one table, each beside the page that states it (read 2026-11 on docs.slack.dev,
 * formerly api.slack.com). The zod schemas below check every message a renderer returns against them;
 * tests run arbitrary results through these schemas. Lengths are UTF-16 code units, which is never less
 * than what Slack counts.
 */
export const SLACK_LIMITS = {
  /** "You can include up to 50 blocks in each message" — https://docs.slack.dev/reference/block-kit/blocks */
  blocksPerMessage: 50,
  /** Section `text`: "Maximum length for the text in this field is 3000 characters" — https://docs.slack.dev/reference/block-kit/blocks/section-block */
  sectionText: 3000,
  /** Section `fields`: "Maximum number of items is 10" — same page. */
  sectionFields: 10,
  /** Each section field: "Maximum length for the text in each item is 2000 characters" — same page. */
  sectionFieldText: 2000,
  /** Header `text`: "Maximum length for the text in this field is 150 characters" — https://docs.slack.dev/reference/block-kit/blocks/header-block */
  headerText: 150,
  /** Context `elements`: "Maximum number of items is 10" — https://docs.slack.dev/reference/block-kit/blocks/context-block */
  contextElements: 10,
  /** Text objects: at most 3000 characters — https://docs.slack.dev/reference/block-kit/composition-objects/text-object */
  textObject: 3000,
  /** Actions `elements`: "There is a maximum of 25 elements in each action block" — https://docs.slack.dev/reference/block-kit/blocks/actions-block */
  actionsElements: 25,
  /** Button `text`: "Maximum length for the text in this field is 75 characters" — https://docs.slack.dev/reference/block-kit/block-elements/button-element */
  buttonText: 75,
  /** Button `action_id`: "Maximum length for this field is 255 characters" — same page. */
  actionId: 255,
  /** Button `value`: "Maximum length for this field is 2000 characters" — same page. */
  buttonValue: 2000,
  /** Button `url`: "Maximum length is 3000 characters" — same page. */
  buttonUrl: 3000,
  /** `block_id`: "Maximum length for this field is 255 characters" — each block's page. */
  blockId: 255,
  /** Context actions `elements`: "Maximum number of items is 5" — https://docs.slack.dev/reference/block-kit/blocks/context-actions-block */
  contextActionsElements: 5,
  /**
   * Feedback buttons, each button's `text`: "Maximum length for the text in this field is 75 characters";
   * `value`: "Maximum length is 2000 characters"; `accessibility_label`: "Maximum length is 75 characters" —
   * https://docs.slack.dev/reference/block-kit/block-elements/feedback-buttons-element
   */
  feedbackButtonText: 75,
  feedbackButtonValue: 2000,
  accessibilityLabel: 75,
  /**
   * Top-level `text` is truncated past 40,000 characters (https://docs.slack.dev/reference/methods/chat.postMessage);
   * with blocks it is only the notification fallback, so ours stays short.
   */
  fallbackText: 3000,
  /**
   * NOT in Slack's docs: chat.postMessage answers `msg_blocks_too_long` once the blocks' text passes about
   * 13,000 characters in total, well under the documented per-block limits (slackapi/bolt-js#2509). We
   * keep each message's block text under this budget.
   */
  blockTextBudget: 12_000,
  /** Modal `title`, `submit`, `close`: "Maximum length for this field is 24 characters" — https://docs.slack.dev/reference/views/modal-views */
  modalTitle: 24,
  /** Modal `private_metadata`: "Maximum length of 3000 characters" — same page. */
  privateMetadata: 3000,
  /** Modal `callback_id`: "Maximum length of 255 characters" — same page. */
  callbackId: 255,
  /** Input `label`: "Maximum length for the text in this field is 2000 characters" — https://docs.slack.dev/reference/block-kit/blocks/input-block */
  inputLabel: 2000,
  /** Input `hint`: "Maximum length for the text in this field is 2000 characters" — same page. */
  inputHint: 2000,
  /** plain_text_input `max_length` and so its `initial_value`: at most 3000 — https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element */
  textInput: 3000,
  /**
   * Streams (read 2026-12): `markdown_text` "Limit this field to 12,000 characters", per call —
   * https://docs.slack.dev/reference/methods/chat.startStream, .../chat.appendStream, .../chat.stopStream.
   * A `markdown_text` chunk carries the same text, so we hold it to the same figure.
   */
  streamMarkdown: 12_000,
  /**
   * chat.stopStream `blocks`: "The blocks array has a limit of 50, which is a separate limit from the
   * blocks sent via the chunks parameter" — https://docs.slack.dev/reference/methods/chat.stopStream
   */
  stopStreamBlocks: 50,
  /**
   * NOT on docs.slack.dev: the task card block (https://docs.slack.dev/reference/block-kit/blocks/task-card-block)
   * and the task_update chunk state no lengths for `title`, `details` and `output`. Microsoft's Agents SDK
   * for Slack documents "Maximum 256 characters" for a task update's details and output
   * (https://microsoft.github.io/Agents-for-js/interfaces/_microsoft_agents-hosting-extensions-slack.TaskUpdateChunk.html);
   * we hold the title to the same.
   */
  taskTitle: 256,
  taskDetails: 256,
  taskOutput: 256,
  /**
   * NOT on docs.slack.dev: tasks in one plan. Other integrations cap a plan at 50 tasks, the blocks a
   * message holds (https://docs.slack.dev/reference/block-kit/blocks); longer plans end in one "N more"
   * task here.
   */
  planTasks: 50,
  /** NOT on docs.slack.dev either: sources per task. A handful reads well; the rest stay in the answer. */
  taskSources: 5,
} as const;

const textObject = z.object({
  type: z.enum(["plain_text", "mrkdwn"]),
  text: z.string().min(1).max(SLACK_LIMITS.textObject),
  emoji: z.boolean().optional(),
  verbatim: z.boolean().optional(),
});

const plainText = (max: number) =>
  z.object({
    type: z.literal("plain_text"),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });

const blockId = z.string().min(1).max(SLACK_LIMITS.blockId).optional();

export const SlackButtonSchema = z.object({
  type: z.literal("button"),
  text: plainText(SLACK_LIMITS.buttonText),
  action_id: z.string().min(1).max(SLACK_LIMITS.actionId),
  value: z.string().max(SLACK_LIMITS.buttonValue).optional(),
  /** A link button: opens the URL (Slack still sends the click, which the app acknowledges). */
  url: z
    .url({ protocol: /^https?$/ })
    .max(SLACK_LIMITS.buttonUrl)
    .optional(),
  style: z.enum(["primary", "danger"]).optional(),
});

const feedbackButton = z.object({
  text: plainText(SLACK_LIMITS.feedbackButtonText),
  value: z.string().min(1).max(SLACK_LIMITS.feedbackButtonValue),
  accessibility_label: z.string().min(1).max(SLACK_LIMITS.accessibilityLabel).optional(),
});

/** 👍 / 👎 on an answer; only inside a context_actions block. */
export const SlackFeedbackButtonsSchema = z.object({
  type: z.literal("feedback_buttons"),
  action_id: z.string().min(1).max(SLACK_LIMITS.actionId),
  positive_button: feedbackButton,
  negative_button: feedbackButton,
});

export const SlackBlockSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("header"), text: plainText(SLACK_LIMITS.headerText), block_id: blockId }),
  z.object({
    type: z.literal("section"),
    text: textObject.extend({ text: z.string().min(1).max(SLACK_LIMITS.sectionText) }).optional(),
    fields: z
      .array(textObject.extend({ text: z.string().min(1).max(SLACK_LIMITS.sectionFieldText) }))
      .min(1)
      .max(SLACK_LIMITS.sectionFields)
      .optional(),
    block_id: blockId,
  }),
  z.object({
    type: z.literal("context"),
    elements: z.array(textObject).min(1).max(SLACK_LIMITS.contextElements),
    block_id: blockId,
  }),
  z.object({ type: z.literal("divider"), block_id: blockId }),
  z.object({
    type: z.literal("actions"),
    elements: z.array(SlackButtonSchema).min(1).max(SLACK_LIMITS.actionsElements),
    block_id: blockId,
  }),
  z.object({
    type: z.literal("context_actions"),
    elements: z.array(SlackFeedbackButtonsSchema).min(1).max(SLACK_LIMITS.contextActionsElements),
    block_id: blockId,
  }),
]);

/** Characters of visible text in a block, as counted against `blockTextBudget`. */
export function slackBlockTextLength(block: z.infer<typeof SlackBlockSchema>): number {
  switch (block.type) {
    case "header":
      return block.text.text.length;
    case "section":
      return (
        (block.text?.text.length ?? 0) +
        (block.fields ?? []).reduce((sum, field) => sum + field.text.length, 0)
      );
    case "context":
      return block.elements.reduce((sum, element) => sum + element.text.length, 0);
    case "divider":
      return 0;
    case "actions":
      return block.elements.reduce(
        (sum, element) => sum + element.text.text.length + (element.value?.length ?? 0),
        0,
      );
    case "context_actions":
      return block.elements.reduce(
        (sum, element) =>
          sum +
          [element.positive_button, element.negative_button].reduce(
            (both, button) => both + button.text.text.length + button.value.length,
            0,
          ),
        0,
      );
  }
}

export const SlackMessageSchema = z
  .object({
    text: z.string().min(1).max(SLACK_LIMITS.fallbackText),
    blocks: z.array(SlackBlockSchema).min(1).max(SLACK_LIMITS.blocksPerMessage),
  })
  .refine(
    (message) => message.blocks.every((block) => block.type !== "section" || block.text || block.fields),
    {
      message: "a section needs text or fields",
    },
  )
  .refine(
    (message) =>
      message.blocks.reduce((sum, block) => sum + slackBlockTextLength(block), 0) <=
      SLACK_LIMITS.blockTextBudget,
    { message: `blocks carry more than ${SLACK_LIMITS.blockTextBudget} characters of text` },
  );

const textInputBlock = z.object({
  type: z.literal("input"),
  block_id: z.string().min(1).max(SLACK_LIMITS.blockId),
  label: plainText(SLACK_LIMITS.inputLabel),
  hint: plainText(SLACK_LIMITS.inputHint).optional(),
  element: z.object({
    type: z.literal("plain_text_input"),
    action_id: z.string().min(1).max(SLACK_LIMITS.actionId),
    multiline: z.boolean().optional(),
    max_length: z.number().int().positive().max(SLACK_LIMITS.textInput),
    initial_value: z.string().max(SLACK_LIMITS.textInput).optional(),
  }),
});

/** The modals we open (views.open): a title, buttons and input blocks. */
export const SlackModalSchema = z.object({
  type: z.literal("modal"),
  callback_id: z.string().min(1).max(SLACK_LIMITS.callbackId),
  private_metadata: z.string().max(SLACK_LIMITS.privateMetadata),
  title: plainText(SLACK_LIMITS.modalTitle),
  submit: plainText(SLACK_LIMITS.modalTitle),
  close: plainText(SLACK_LIMITS.modalTitle),
  blocks: z.array(textInputBlock).min(1).max(SLACK_LIMITS.blocksPerMessage),
});

/** A task of a progress stream (a task_update chunk's fields), as the stream renderer builds it. */
export const SlackStreamTaskSchema = z.object({
  id: z.string().min(1).max(SLACK_LIMITS.blockId),
  title: z.string().min(1).max(SLACK_LIMITS.taskTitle),
  status: z.enum(["pending", "in_progress", "complete", "error"]),
  details: z.string().min(1).max(SLACK_LIMITS.taskDetails).optional(),
  output: z.string().min(1).max(SLACK_LIMITS.taskOutput).optional(),
  sources: z
    .array(z.object({ url: z.url(), text: z.string().min(1).max(SLACK_LIMITS.taskTitle) }))
    .min(1)
    .max(SLACK_LIMITS.taskSources)
    .optional(),
});

/** One write to a stream: a plan title, tasks, text. */
export const SlackStreamUpdateSchema = z.object({
  title: z.string().min(1).max(SLACK_LIMITS.taskTitle).optional(),
  tasks: z.array(SlackStreamTaskSchema).max(SLACK_LIMITS.planTasks).optional(),
  markdown: z.string().min(1).max(SLACK_LIMITS.streamMarkdown).optional(),
});
