import type { BaseMessage } from "@langchain/core/messages";
import type { TurnRecord } from "./state.js";

/** How many earlier turns a model sees: enough for follow-ups, small enough for a local model. */
export const HISTORY_TURNS = 3;

export function recentHistory(turns: readonly TurnRecord[]): { request: string; answer: string }[] {
  return turns.slice(-HISTORY_TURNS).map((turn) => ({ request: turn.request, answer: turn.answer }));
}

export function historyText(turns: readonly TurnRecord[]): string {
  const recent = recentHistory(turns);
  if (recent.length === 0) return "";
  return [
    "Earlier in this conversation:",
    ...recent.map((turn) => `- User: ${turn.request.slice(0, 300)}\n  Answer: ${turn.answer.slice(0, 400)}`),
  ].join("\n");
}

export function messageText(message: BaseMessage): string {
  return typeof message.content === "string" ? message.content : JSON.stringify(message.content);
}
