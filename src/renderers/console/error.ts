import type { RunEventOf } from "../../conversations/events.js";
import { t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import type { ConsoleMessage } from "./result.js";
import { terminalSafe } from "./text.js";

/** A failed run, said politely; with a retry id, how to retry. */
export function renderError(
  event: RunEventOf<"error">,
  locale: Locale,
  options: { retryId?: string | undefined } = {},
): ConsoleMessage {
  const message = event.message.trim() || t(locale, `error.${event.kind}`);
  const lines = [`⚠ ${t(locale, "error.title")}`, message];
  if (options.retryId !== undefined)
    lines.push(`${t(locale, "error.retry_hint")} (${t(locale, "error.retry")}: ${options.retryId})`);
  return { text: terminalSafe(lines.join("\n")) };
}
