import type { ApprovalView } from "../../conversations/types.js";
import type { Locale } from "../../vocabulary/index.js";
import { EDIT_ACTION_ID, EDIT_BLOCK_ID, EDIT_CALLBACK_ID, type EditContext } from "./interaction.js";
import { say } from "./texts.js";

/** Slack caps: modal title and buttons 24 chars, input label 2000, plain_text_input 3000. */
const TASK_MAX = 3000;

/** The modal the edit button opens: one text input prefilled with the step's task. */
export function editModal(approval: ApprovalView, context: EditContext, locale: Locale) {
  return {
    type: "modal" as const,
    callback_id: EDIT_CALLBACK_ID,
    private_metadata: JSON.stringify(context),
    title: { type: "plain_text" as const, text: say(locale, "edit.title") },
    submit: { type: "plain_text" as const, text: say(locale, "edit.submit") },
    close: { type: "plain_text" as const, text: say(locale, "edit.cancel") },
    blocks: [
      {
        type: "input",
        block_id: EDIT_BLOCK_ID,
        label: {
          type: "plain_text",
          text: say(locale, "edit.label", { step: approval.stepId, agent: approval.agent }).slice(0, 2000),
        },
        hint: { type: "plain_text", text: say(locale, "edit.hint") },
        element: {
          type: "plain_text_input",
          action_id: EDIT_ACTION_ID,
          multiline: true,
          max_length: TASK_MAX,
          initial_value: [...approval.task].slice(0, TASK_MAX).join(""),
        },
      },
    ],
  };
}
