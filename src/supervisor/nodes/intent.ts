import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { detectLocale } from "../../vocabulary/index.js";
import { historyText } from "../context.js";
import { reportProgress } from "../progress.js";
import type { SupervisorStateType, SupervisorUpdate } from "../state.js";
import { usageMeter } from "../usage.js";
import type { SupervisorDeps } from "./deps.js";

export const GENERAL_CATEGORY = "general";

/** Classifies the request into an agent category and fixes the language every later text uses. */
export function intentUnderstandingNode(deps: SupervisorDeps) {
  const categories: [string, ...string[]] = [GENERAL_CATEGORY, ...deps.registry.names];
  const IntentSchema = z.object({
    category: z.enum(categories).describe("The agent category that fits the request best"),
    summary: z.string().max(160).describe("The request restated in one short sentence"),
  });

  return async (state: SupervisorStateType, config?: LangGraphRunnableConfig): Promise<SupervisorUpdate> => {
    reportProgress(config, { kind: "node_started", node: "intent_understanding" });
    const turn = state.turn;
    if (!turn) throw new Error("intent_understanding ran without a turn");
    // The script decides the language: exact and free where a small model would guess.
    const language = turn.locale ?? detectLocale(turn.request);
    const meter = usageMeter();
    const intent = await deps.llm.structured(
      [
        {
          role: "system",
          content: [
            "Classify the user's request for a multi-agent assistant.",
            `Categories:\n${deps.registry.describe("en")}\n- ${GENERAL_CATEGORY}: anything else`,
            "Reply with the category and a one-sentence summary in the user's language.",
          ].join("\n"),
        },
        {
          role: "user",
          content: [historyText(state.turns, turn.request), `Request: ${turn.request}`]
            .filter(Boolean)
            .join("\n"),
        },
      ],
      IntentSchema,
      {
        purpose: "intent",
        schemaName: "user_intent",
        signal: config?.signal,
        onUsage: meter.onUsage,
        locale: language,
        context: { request: turn.request, locale: language, agents: deps.registry.names },
      },
    );
    return {
      user_intent: { category: intent.category, language, summary: intent.summary },
      usage: meter.totals,
    };
  };
}
