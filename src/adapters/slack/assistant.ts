import { type App, Assistant, type AssistantConfig } from "@slack/bolt";
import { z } from "zod";
import type { Logger } from "../../log.js";
import { slack } from "../../renderers/index.js";
import type { SlackContext } from "./context.js";
import { takeMessage } from "./listen-messages.js";
import { slackThreadKey } from "./thread-key.js";

/**
 * Slack's assistant surface (the side panel, with `assistant_view` in the manifest), through Bolt's
 * Assistant: a new thread suggests one prompt per output format in the person's Slack language; a
 * message in it goes through the same intake as any DM (its thread key is the DM thread's, so one
 * conversation per assistant thread); the status and the title come from the delivery layer, on
 * whichever process runs the job (see SlackOutbox.thread). The channel a person is viewing (the
 * thread's context) is kept per thread as Slack reports it.
 */
export function listenForAssistant(app: App, ctx: SlackContext): void {
  const log = ctx.delivery.log;
  const contexts = new ThreadContexts(log);
  app.assistant(
    new Assistant({
      threadContextStore: contexts,
      threadStarted: async ({ event, body, setSuggestedPrompts, saveThreadContext }) => {
        const { user_id: user, channel_id: channel, thread_ts: threadTs } = event.assistant_thread;
        await saveThreadContext();
        // Acknowledged now; the prompts follow (a users.info and a call: no reason to hold the ack).
        ctx.delivery.tasks.run("assistant thread started", async () => {
          const locale = await ctx.outbox.userLocale(user);
          if (!ctx.delivery.userLocales.has(user)) ctx.delivery.userLocales.set(user, locale);
          try {
            await setSuggestedPrompts(slack.renderSuggestedPrompts(locale));
          } catch (error) {
            log.warn({ err: error, channel }, "could not suggest prompts in an assistant thread");
          }
          log.info(
            { threadKey: slackThreadKey({ team: teamOf(body), channel, threadTs }), user, locale },
            "Slack assistant thread started",
          );
        });
      },
      threadContextChanged: ({ saveThreadContext }) => saveThreadContext(),
      userMessage: ({ body }) => takeMessage(ctx, body, { formatPrefix: true }),
    }),
  );
}

type ContextStore = NonNullable<AssistantConfig["threadContextStore"]>;
type StoreArgs = Parameters<ContextStore["get"]>[0];

const AssistantThreadSchema = z.looseObject({
  channel_id: z.string(),
  thread_ts: z.string(),
  context: z
    .looseObject({
      channel_id: z.string().optional(),
      team_id: z.string().optional(),
      enterprise_id: z.string().nullable().optional(),
    })
    .optional(),
});
const PayloadSchema = z.looseObject({
  assistant_thread: AssistantThreadSchema.optional(),
  channel: z.string().optional(),
  thread_ts: z.string().optional(),
});

/** Threads remembered; the oldest is let go past this, as a context is only as good as the last event. */
const MAX_THREADS = 10_000;

/**
 * The context of each assistant thread, in this process. Bolt's default store keeps one context for the
 * whole process (not per thread) and writes it into the thread's first bot message with chat.update,
 * which here is the progress card being edited. Another replica does not see what this one saved:
 * Octo's answers do not depend on it, so a replica that lacks it loses nothing.
 */
export class ThreadContexts implements ContextStore {
  private readonly byThread = new Map<
    string,
    NonNullable<z.infer<typeof AssistantThreadSchema>["context"]>
  >();

  constructor(private readonly log: Logger) {}

  async get(args: StoreArgs) {
    const key = keyOf(args.payload);
    return (key && this.byThread.get(key)) || {};
  }

  async save(args: StoreArgs): Promise<void> {
    const parsed = PayloadSchema.safeParse(args.payload).data?.assistant_thread;
    if (!parsed) return;
    const key = `${parsed.channel_id}:${parsed.thread_ts}`;
    this.byThread.delete(key);
    this.byThread.set(key, parsed.context ?? {});
    if (this.byThread.size > MAX_THREADS) {
      const oldest = this.byThread.keys().next().value;
      if (oldest !== undefined) this.byThread.delete(oldest);
    }
    this.log.debug(
      { channel: parsed.channel_id, threadTs: parsed.thread_ts, viewing: parsed.context?.channel_id },
      "Slack assistant thread context saved",
    );
  }
}

function keyOf(payload: unknown): string | undefined {
  const parsed = PayloadSchema.safeParse(payload).data;
  if (!parsed) return undefined;
  const channel = parsed.assistant_thread?.channel_id ?? parsed.channel;
  const threadTs = parsed.assistant_thread?.thread_ts ?? parsed.thread_ts;
  return channel && threadTs ? `${channel}:${threadTs}` : undefined;
}

function teamOf(body: unknown): string {
  const parsed = z.looseObject({ team_id: z.string().optional() }).safeParse(body);
  return parsed.data?.team_id ?? "";
}
