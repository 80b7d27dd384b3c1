import { fail, type Method, type MethodContext, type MethodResult, requireBot, str } from "./method-kit.js";

/**
 * assistant.threads.setStatus, setSuggestedPrompts and setTitle, validated as docs.slack.dev describes
 * them: `channel_id` always required; `thread_ts` required for the status and the title (optional for
 * prompts, whose list holds one to four `{title, message}`); `status` required but may be empty, which
 * clears it; `loading_messages` at most ten. A missing argument is `invalid_arguments`, an unknown
 * channel `channel_not_found`, a thread that is not there `invalid_thread_ts`.
 */
const MAX_PROMPTS = 4;
const MAX_LOADING_MESSAGES = 10;

function thread(
  ctx: MethodContext,
  required: boolean,
): MethodResult | { channel: string; threadTs?: string } {
  const denied = requireBot(ctx);
  if (denied) return denied;
  const channel = str(ctx.params.channel_id);
  if (!channel) return fail("invalid_arguments");
  if (!ctx.workspace.hasChannel(channel)) return fail("channel_not_found");
  const threadTs = str(ctx.params.thread_ts);
  if (!threadTs) return required ? fail("invalid_arguments") : { channel };
  if (!ctx.workspace.message(channel, threadTs)) return fail("invalid_thread_ts");
  return { channel, threadTs };
}

const isFailure = (value: object): value is MethodResult => "ok" in value;

function promptsOf(value: unknown): { title: string; message: string }[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PROMPTS) return undefined;
  const prompts = value.map((item) => {
    const entry = item as { title?: unknown; message?: unknown } | null;
    const title = str(entry?.title);
    const message = str(entry?.message);
    return title && message ? { title, message } : undefined;
  });
  return prompts.every((prompt) => prompt !== undefined) ? prompts : undefined;
}

export const assistantMethods: Record<string, Method> = {
  "assistant.threads.setStatus": (ctx) => {
    const where = thread(ctx, true);
    if (isFailure(where)) return where;
    const status = ctx.params.status;
    if (typeof status !== "string") return fail("invalid_arguments");
    const loading = ctx.params.loading_messages;
    if (
      loading !== undefined &&
      (!Array.isArray(loading) ||
        loading.length > MAX_LOADING_MESSAGES ||
        !loading.every((line) => typeof line === "string"))
    )
      return fail("invalid_arguments");
    const state = ctx.workspace.assistantStateOf(where.channel, where.threadTs as string);
    state.status = status;
    state.statuses.push(status);
    return { ok: true };
  },

  "assistant.threads.setSuggestedPrompts": (ctx) => {
    const where = thread(ctx, false);
    if (isFailure(where)) return where;
    const prompts = promptsOf(ctx.params.prompts);
    if (!prompts) return fail("invalid_arguments");
    const title = ctx.params.title === undefined ? undefined : str(ctx.params.title);
    if (ctx.params.title !== undefined && title === undefined) return fail("invalid_arguments");
    const threadTs = where.threadTs ?? latestThreadOf(ctx, where.channel);
    if (!threadTs) return fail("message_not_found");
    ctx.workspace.assistantStateOf(where.channel, threadTs).prompts = { title, prompts };
    return { ok: true };
  },

  "assistant.threads.setTitle": (ctx) => {
    const where = thread(ctx, true);
    if (isFailure(where)) return where;
    const title = str(ctx.params.title);
    if (!title) return fail("invalid_arguments");
    ctx.workspace.assistantStateOf(where.channel, where.threadTs as string).title = title;
    return { ok: true };
  },
};

/** Without `thread_ts`, prompts go to the channel's latest message's thread. */
function latestThreadOf(ctx: MethodContext, channel: string): string | undefined {
  const latest = ctx.workspace.messages.filter((message) => message.channel === channel).at(-1);
  return latest?.threadTs ?? latest?.ts;
}
