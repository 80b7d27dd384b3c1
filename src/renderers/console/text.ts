import type { StepState } from "../view.js";

/**
 * Terminal text safety: control characters in user or model text (ANSI escape sequences above all) could
 * move the cursor, recolour or retitle the terminal, so they are replaced before anything is printed.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL, "�");
}

/** Narrow symbols that every terminal font has; emoji widths vary too much between terminals. */
export const STATE_SYMBOL: Record<StepState, string> = {
  pending: "·",
  running: "▶",
  waiting: "⏸",
  completed: "✔",
  failed: "✘",
  skipped: "↷",
};

export function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((line) => (line.length > 0 ? `${prefix}${line}` : line))
    .join("\n");
}
