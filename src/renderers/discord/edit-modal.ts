import { t } from "../../i18n/index.js";
import { clip, type Locale } from "../../vocabulary/index.js";
import type { EditForm } from "../types.js";
import { DISCORD_LIMITS, type DiscordModal } from "./limits.js";

/**
 * The modal the edit button opens: one paragraph input prefilled with the step's task. Its `custom_id`
 * carries the approval id and the card's message id (the submission names no card of its own on every
 * path), nothing else. A task longer than the input holds is shown from its beginning; what is
 * submitted replaces it all.
 */
export const EDIT_MODAL_PREFIX = "octo:edited:";
export const EDIT_INPUT_ID = "task";

export function editModalId(approvalId: string, cardMessageId: string): string {
  const id = `${EDIT_MODAL_PREFIX}${approvalId}:${cardMessageId}`;
  if (approvalId.length === 0 || id.length > DISCORD_LIMITS.customId)
    throw new RangeError(`modal custom_id must be 1-${DISCORD_LIMITS.customId} characters`);
  return id;
}

/** The approval and card a submission's `custom_id` names, or undefined for anything else. */
export function parseEditModalId(
  customId: string,
): { approvalId: string; cardMessageId: string } | undefined {
  if (!customId.startsWith(EDIT_MODAL_PREFIX)) return undefined;
  const [approvalId, cardMessageId, ...rest] = customId.slice(EDIT_MODAL_PREFIX.length).split(":");
  if (!approvalId || !cardMessageId || rest.length > 0) return undefined;
  return { approvalId, cardMessageId };
}

export function renderEditModal(form: EditForm, cardMessageId: string, locale: Locale): DiscordModal {
  return {
    custom_id: editModalId(form.approvalId, cardMessageId),
    title: clip(t(locale, "edit.title"), DISCORD_LIMITS.modalTitle),
    components: [
      {
        type: 1,
        components: [
          {
            type: 4,
            custom_id: EDIT_INPUT_ID,
            style: 2,
            label: clip(
              t(locale, "edit.label", { step: form.step, agent: form.agent }),
              DISCORD_LIMITS.textInputLabel,
            ),
            value: clip(form.task, DISCORD_LIMITS.textInputValue),
            required: true,
            min_length: 1,
            max_length: DISCORD_LIMITS.textInputValue,
          },
        ],
      },
    ],
  };
}
