import type { z } from "zod";
import { t } from "../../i18n/index.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import type { EditForm } from "../types.js";
import { SLACK_LIMITS, type SlackModalSchema } from "./limits.js";
import { plainSafe } from "./mrkdwn.js";

/**
 * The modal the edit button opens: one text input prefilled with the step's task. A task longer than the
 * input holds is shown from its beginning and the hint says so, since what is submitted replaces it all.
 */
export const EDIT_CALLBACK_ID = "octo_edit_submit";
export const EDIT_BLOCK_ID = "octo_edit_task";
export const EDIT_ACTION_ID = "task";

export type SlackModal = z.infer<typeof SlackModalSchema>;

const plain = (text: string, max: number) => ({
  type: "plain_text" as const,
  text: clip(plainSafe(text), max) || "…",
});

/** `metadata` is what the submission needs to find its card again (the platform's ids, as JSON). */
export function renderEditModal(form: EditForm, metadata: string, locale: Locale): SlackModal {
  if (metadata.length > SLACK_LIMITS.privateMetadata) {
    throw new RangeError(
      `private_metadata longer than ${SLACK_LIMITS.privateMetadata}; store it and pass its id`,
    );
  }
  const fits = form.task.length <= SLACK_LIMITS.textInput;
  const hint = fits
    ? t(locale, "edit.hint")
    : t(locale, "edit.hint_shortened", { length: [...form.task].length, max: SLACK_LIMITS.textInput });
  return {
    type: "modal",
    callback_id: EDIT_CALLBACK_ID,
    private_metadata: metadata,
    title: plain(t(locale, "edit.title"), SLACK_LIMITS.modalTitle),
    submit: plain(t(locale, "edit.submit"), SLACK_LIMITS.modalTitle),
    close: plain(t(locale, "edit.cancel"), SLACK_LIMITS.modalTitle),
    blocks: [
      {
        type: "input",
        block_id: EDIT_BLOCK_ID,
        label: plain(
          t(locale, "edit.label", { step: form.step, agent: form.agent }),
          SLACK_LIMITS.inputLabel,
        ),
        hint: plain(hint, SLACK_LIMITS.inputHint),
        element: {
          type: "plain_text_input",
          action_id: EDIT_ACTION_ID,
          multiline: true,
          max_length: SLACK_LIMITS.textInput,
          initial_value: fits ? form.task : clip(form.task, SLACK_LIMITS.textInput),
        },
      },
    ],
  };
}

/** The answer to a submission with an empty task: the error shown under the input (Slack's response_action). */
export function renderEditRefusal(locale: Locale) {
  return { response_action: "errors" as const, errors: { [EDIT_BLOCK_ID]: t(locale, "edit.empty") } };
}
