import { blockProblems } from "./block-checks.js";
import {
  fail,
  invalidBlocks,
  type Method,
  type MethodContext,
  type MethodResult,
  messageJson,
  requireBot,
  str,
} from "./method-kit.js";
import type { EmulatedMessage, EmulatedStream, EmulatedTask } from "./state.js";

/**
 * Slack's streaming methods (docs.slack.dev/reference/methods/chat.startStream, chat.appendStream,
 * chat.stopStream, read 2026-12), checked the way their pages describe: `thread_ts` required,
 * `recipient_user_id` and `recipient_team_id` required outside DMs, `markdown_text` or `chunks` (not
 * both), `markdown_text` up to 12,000 characters, a stream written the way it was started
 * (`streaming_mode_mismatch`), nothing written once stopped (`message_not_in_streaming_state`), and
 * chunks of the four documented types with their fields. The streamed message is in the channel like any
 * other: its text is the Markdown so far, its blocks the plan (or task cards) and what the stop added.
 */
const MARKDOWN_MAX = 12_000;
/** Not stated by Slack for tasks (see SLACK_LIMITS.taskTitle); the emulator holds the bot to its own table. */
const TASK_TEXT_MAX = 256;
const STOP_BLOCKS_MAX = 50;
const STATUSES = new Set(["pending", "in_progress", "complete", "error"]);
const DISPLAY_MODES = new Set(["timeline", "plan"]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function textProblem(where: string, value: unknown, max: number, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value.length === 0) return `${where} must be a non-empty string`;
  return [...value].length > max ? `${where} has more than ${max} characters` : undefined;
}

/** Problems in a `chunks` array; empty when Slack would take it. */
export function chunkProblems(chunks: unknown): string[] {
  if (!Array.isArray(chunks) || chunks.length === 0) return ["chunks must be a non-empty array"];
  const problems: (string | undefined)[] = [];
  chunks.forEach((chunk, index) => {
    const where = `chunks[${index}]`;
    if (!isObject(chunk)) {
      problems.push(`${where} is not an object`);
      return;
    }
    switch (chunk.type) {
      case "markdown_text":
        problems.push(textProblem(`${where}.text`, chunk.text, MARKDOWN_MAX, true));
        break;
      case "plan_update":
        problems.push(textProblem(`${where}.title`, chunk.title, TASK_TEXT_MAX, true));
        break;
      case "task_update":
        problems.push(
          textProblem(`${where}.id`, chunk.id, 255, true),
          textProblem(`${where}.title`, chunk.title, TASK_TEXT_MAX, true),
          STATUSES.has(String(chunk.status)) ? undefined : `${where}.status must be one of ${[...STATUSES]}`,
          textProblem(`${where}.details`, chunk.details, TASK_TEXT_MAX, false),
          textProblem(`${where}.output`, chunk.output, TASK_TEXT_MAX, false),
          ...sourceProblems(`${where}.sources`, chunk.sources),
        );
        break;
      case "blocks":
        if (!Array.isArray(chunk.blocks) || chunk.blocks.length > STOP_BLOCKS_MAX)
          problems.push(`${where}.blocks must be an array of at most ${STOP_BLOCKS_MAX} blocks`);
        else problems.push(...blockProblems(chunk.blocks, "message"));
        break;
      default:
        problems.push(`${where}.type ${JSON.stringify(chunk.type)} is not a chunk type`);
    }
  });
  return problems.filter((problem): problem is string => problem !== undefined);
}

function sourceProblems(where: string, sources: unknown): (string | undefined)[] {
  if (sources === undefined) return [];
  if (!Array.isArray(sources)) return [`${where} must be an array`];
  return sources.flatMap((source, index) => {
    if (!isObject(source) || source.type !== "url") return [`${where}[${index}] must be a url source`];
    const url = typeof source.url === "string" && URL.canParse(source.url) ? undefined : "a url";
    return [
      url && `${where}[${index}].url must be ${url}`,
      textProblem(`${where}[${index}].text`, source.text, TASK_TEXT_MAX, true),
    ];
  });
}

function invalidChunks(problems: string[]): MethodResult {
  return fail("invalid_chunks", { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
}

/** The text and chunks of a write, checked: what to apply, or Slack's refusal. */
function writeOf(
  ctx: MethodContext,
  missing: string,
): { mode: EmulatedStream["mode"]; markdown?: string; chunks?: Json[] } | MethodResult {
  const { markdown_text: markdown, chunks } = ctx.params;
  if (markdown !== undefined && chunks !== undefined)
    return fail("cannot_provide_both_markdown_text_and_chunks");
  if (chunks !== undefined) {
    const problems = chunkProblems(chunks);
    return problems.length > 0 ? invalidChunks(problems) : { mode: "chunks", chunks: chunks as Json[] };
  }
  if (markdown === undefined) return fail(missing);
  const problem = textProblem("markdown_text", markdown, MARKDOWN_MAX, true);
  return problem
    ? fail("msg_too_long", { response_metadata: { messages: [problem] } })
    : { mode: "markdown_text", markdown: markdown as string };
}

const isRefusal = (value: unknown): value is MethodResult => isObject(value) && "ok" in value;

function apply(
  message: EmulatedMessage,
  stream: EmulatedStream,
  write: { markdown?: string; chunks?: Json[] },
) {
  message.revisions.push({ text: message.text, blocks: message.blocks });
  let text = message.text + (write.markdown ?? "");
  for (const chunk of write.chunks ?? []) {
    if (chunk.type === "markdown_text") text += String(chunk.text);
    if (chunk.type === "plan_update") stream.planTitle = String(chunk.title);
    if (chunk.type === "task_update") updateTask(stream, chunk);
    if (chunk.type === "blocks") stream.closingBlocks.push(...(chunk.blocks as unknown[]));
  }
  message.text = text;
  message.blocks = shownBlocks(stream);
}

function updateTask(stream: EmulatedStream, chunk: Json): void {
  const id = String(chunk.id);
  const known = stream.tasks.find((task) => task.id === id);
  const task: EmulatedTask = known ?? { id, title: "", status: "pending", statuses: [] };
  task.title = String(chunk.title);
  task.status = chunk.status as EmulatedTask["status"];
  if (typeof chunk.details === "string") task.details = chunk.details;
  if (typeof chunk.output === "string") task.output = chunk.output;
  if (Array.isArray(chunk.sources)) task.sources = chunk.sources as EmulatedTask["sources"];
  if (task.statuses.at(-1) !== task.status) task.statuses.push(task.status);
  if (!known) stream.tasks.push(task);
}

/** The message's blocks as Slack would show them: one plan block in plan mode, else task cards. */
function shownBlocks(stream: EmulatedStream): unknown[] {
  const cards = stream.tasks.map((task) => ({
    type: "task_card",
    task_id: task.id,
    title: task.title,
    status: task.status,
    ...(task.details ? { details: richText(task.details) } : {}),
    ...(task.output ? { output: richText(task.output) } : {}),
    ...(task.sources ? { sources: task.sources } : {}),
  }));
  const progress =
    stream.taskDisplayMode === "plan" && (cards.length > 0 || stream.planTitle)
      ? [{ type: "plan", title: stream.planTitle ?? "", tasks: cards }]
      : cards;
  return [...progress, ...stream.closingBlocks];
}

const richText = (text: string) => ({
  type: "rich_text",
  elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }],
});

/** The streamed message a write names, ready for it; or why Slack refuses the write. */
function streamed(ctx: MethodContext): { message: EmulatedMessage; stream: EmulatedStream } | MethodResult {
  const denied = requireBot(ctx);
  if (denied) return denied;
  if (!ctx.workspace.seed.aiApps) return fail("feature_not_enabled");
  const channel = str(ctx.params.channel);
  if (!channel || !ctx.workspace.hasChannel(channel)) return fail("channel_not_found");
  const ts = str(ctx.params.ts);
  const message = ts ? ctx.workspace.message(channel, ts) : undefined;
  if (!message) return fail("message_not_found");
  if (message.botId !== ctx.workspace.seed.botId) return fail("message_not_owned_by_app");
  const stream = message.stream;
  if (stream?.state !== "streaming") return fail("message_not_in_streaming_state");
  return { message, stream };
}

export const streamMethods: Record<string, Method> = {
  "chat.startStream": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    if (!ctx.workspace.seed.aiApps) return fail("feature_not_enabled");
    const channel = str(ctx.params.channel);
    if (!channel || !ctx.workspace.hasChannel(channel)) return fail("channel_not_found");
    const threadTs = str(ctx.params.thread_ts);
    if (!threadTs)
      return fail("invalid_arguments", {
        response_metadata: { messages: ["missing required field: thread_ts"] },
      });
    if (!ctx.workspace.message(channel, threadTs)) return fail("thread_not_found");
    const user = str(ctx.params.recipient_user_id);
    const team = str(ctx.params.recipient_team_id);
    if (!ctx.workspace.isIm(channel)) {
      if (!user) return fail("missing_recipient_user_id");
      if (!team) return fail("missing_recipient_team_id");
    }
    if (user && !ctx.workspace.user(user)) return fail("user_not_found");
    if (team && team !== ctx.workspace.seed.teamId) return fail("team_not_found");
    const mode = ctx.params.task_display_mode ?? "timeline";
    if (!DISPLAY_MODES.has(String(mode))) return fail("invalid_arguments");
    const write = writeOf(ctx, "no_text");
    if (isRefusal(write)) return write;
    const stream: EmulatedStream = {
      state: "streaming",
      mode: write.mode,
      taskDisplayMode: mode as EmulatedStream["taskDisplayMode"],
      recipient: { user, team },
      planTitle: undefined,
      tasks: [],
      closingBlocks: [],
    };
    const message: EmulatedMessage = {
      channel,
      ts: ctx.workspace.nextTs(),
      threadTs,
      user: undefined,
      botId: ctx.workspace.seed.botId,
      text: "",
      blocks: undefined,
      revisions: [],
      stream,
    };
    apply(message, stream, write);
    message.revisions.length = 0;
    ctx.workspace.add(message);
    return { ok: true, channel, ts: message.ts };
  },

  "chat.appendStream": (ctx) => {
    const target = streamed(ctx);
    if (isRefusal(target)) return target;
    const write = writeOf(ctx, "markdown_text_or_chunks_required");
    if (isRefusal(write)) return write;
    if (write.mode !== target.stream.mode) return fail("streaming_mode_mismatch");
    apply(target.message, target.stream, write);
    return { ok: true, channel: target.message.channel, ts: target.message.ts };
  },

  "chat.stopStream": (ctx) => {
    const target = streamed(ctx);
    if (isRefusal(target)) return target;
    const { markdown_text: markdown, chunks, blocks } = ctx.params;
    const write = markdown === undefined && chunks === undefined ? {} : writeOf(ctx, "no_text");
    if (isRefusal(write)) return write;
    if ("mode" in write && write.mode !== target.stream.mode) return fail("streaming_mode_mismatch");
    if (blocks !== undefined) {
      if (!Array.isArray(blocks) || blocks.length > STOP_BLOCKS_MAX) return fail("msg_blocks_too_many");
      const problems = blockProblems(blocks, "message");
      if (problems.length > 0) return invalidBlocks(problems);
    }
    const { message, stream } = target;
    apply(message, stream, write);
    if (Array.isArray(blocks)) stream.closingBlocks.push(...blocks);
    message.blocks = shownBlocks(stream);
    stream.state = "stopped";
    return {
      ok: true,
      channel: message.channel,
      ts: message.ts,
      message: messageJson(message, ctx.workspace.seed.botUserId),
    };
  },
};
