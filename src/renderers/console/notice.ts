import type { Locale } from "../../vocabulary/index.js";
import { noticeText } from "../notice-view.js";
import type { Notice } from "../types.js";
import type { ConsoleMessage } from "./result.js";
import { terminalSafe } from "./text.js";

/** Short replies outside a run as terminal text; the terminal shows markup as typed, so nothing is escaped. */
const MARKUP = { escape: (text: string) => text, user: (id: string) => id, platform: "the console" };

export function renderNotice(notice: Notice, locale: Locale): ConsoleMessage {
  return { text: terminalSafe(noticeText(notice, locale, MARKUP)) };
}
