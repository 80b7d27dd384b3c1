import { z } from "zod";
import { slack } from "../../renderers/index.js";

/**
 * Button clicks and modal submissions the adapter acts on. Buttons carry only an opaque id in `value`;
 * where the click happened comes from the payload's container, which Slack fills in.
 */

export const { EDIT_ACTION_ID, EDIT_BLOCK_ID, EDIT_CALLBACK_ID } = slack;

const BlockActionsSchema = z.looseObject({
  type: z.literal("block_actions"),
  user: z.looseObject({ id: z.string(), team_id: z.string().optional() }),
  team: z.looseObject({ id: z.string() }).nullable().optional(),
  trigger_id: z.string().optional(),
  container: z
    .looseObject({
      channel_id: z.string().optional(),
      message_ts: z.string().optional(),
      thread_ts: z.string().optional(),
    })
    .optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string(),
        value: z.string().optional(),
        action_ts: z.string().optional(),
      }),
    )
    .min(1),
});

export interface ButtonClick {
  actionId: string;
  value: string;
  user: string;
  team: string;
  triggerId: string | undefined;
  channel: string;
  /** The message that holds the button. */
  messageTs: string;
  /** The thread that message is in (its own ts when it is a root). */
  threadTs: string;
}

export function parseButtonClick(body: unknown): ButtonClick | undefined {
  const parsed = BlockActionsSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const data = parsed.data;
  const action = data.actions[0];
  const channel = data.container?.channel_id ?? data.channel?.id;
  const messageTs = data.container?.message_ts ?? data.message?.ts;
  const team = data.team?.id ?? data.user.team_id;
  if (!action?.value || !channel || !messageTs || !team) return undefined;
  return {
    actionId: action.action_id,
    value: action.value,
    user: data.user.id,
    team,
    triggerId: data.trigger_id,
    channel,
    messageTs,
    threadTs: data.container?.thread_ts ?? data.message?.thread_ts ?? messageTs,
  };
}

/** What the edit modal remembers about the card it was opened from (`private_metadata`, <= 3000 chars). */
export const EditContextSchema = z.object({
  approvalId: z.string().min(1),
  team: z.string(),
  channel: z.string(),
  messageTs: z.string(),
  threadTs: z.string(),
});
export type EditContext = z.infer<typeof EditContextSchema>;

const ViewSubmissionSchema = z.looseObject({
  type: z.literal("view_submission"),
  user: z.looseObject({ id: z.string() }),
  view: z.looseObject({
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.looseObject({
      values: z.record(
        z.string(),
        z.record(z.string(), z.looseObject({ value: z.string().nullable().optional() })),
      ),
    }),
  }),
});

export interface EditSubmission {
  context: EditContext;
  user: string;
  task: string;
}

export function parseEditSubmission(body: unknown): EditSubmission | undefined {
  const parsed = ViewSubmissionSchema.safeParse(body);
  if (!parsed.success || parsed.data.view.callback_id !== EDIT_CALLBACK_ID) return undefined;
  let context: EditContext;
  try {
    context = EditContextSchema.parse(JSON.parse(parsed.data.view.private_metadata ?? ""));
  } catch {
    return undefined;
  }
  const task = parsed.data.view.state.values[EDIT_BLOCK_ID]?.[EDIT_ACTION_ID]?.value ?? "";
  return { context, user: parsed.data.user.id, task: task.trim() };
}
