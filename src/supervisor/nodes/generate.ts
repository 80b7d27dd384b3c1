import { AIMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { OutputFormat } from "../../vocabulary/index.js";
import {
  generateChat,
  generateGraph,
  generateHierarchicalGraph,
  generateJson,
  generateReport,
} from "../generators/index.js";
import type { GeneratorInput } from "../generators/input.js";
import { reportProgress } from "../progress.js";
import type { SupervisorStateType, SupervisorUpdate } from "../state.js";
import type { FinalResult } from "../types.js";
import { orderedResults } from "./aggregator.js";

export const GENERATOR_NODES = {
  chat: "chat_generator",
  graph: "graph_generator",
  report: "report_generator",
  json: "json_generator",
} as const;
type GeneratorFormat = keyof typeof GENERATOR_NODES;

const GENERATORS: Record<GeneratorFormat, (input: GeneratorInput) => FinalResult> = {
  chat: (input) => ({ chat: generateChat(input) }),
  graph: (input) => ({ graph: generateGraph(input), graph_hierarchical: generateHierarchicalGraph(input) }),
  report: (input) => ({ report: generateReport(input) }),
  json: (input) => ({ json: generateJson(input) }),
};

/** `all` runs every generator at once; they merge in `final_result`. */
export function formatsFor(format: OutputFormat): GeneratorFormat[] {
  return format === "all" ? ["chat", "graph", "report", "json"] : [format];
}

function generatorInput(state: SupervisorStateType): GeneratorInput {
  if (!state.turn || !state.aggregated_data) throw new Error("a generator ran before aggregation");
  return {
    data: state.aggregated_data,
    request: state.turn.request,
    locale: state.turn.locale,
    stepResults: orderedResults(state),
    generatedAt: new Date(),
  };
}

/**
 * The output router: the generators the format asks for (several run in parallel). Named, not sent: a
 * `Send` would store its payload (here the whole state, attachments and all) with the checkpoint once
 * per generator, while a named node reads the state it already has.
 */
export function routeToGenerators(state: SupervisorStateType): string[] {
  return formatsFor(state.turn?.format ?? "chat").map((format) => GENERATOR_NODES[format]);
}

export function generatorNode(format: GeneratorFormat) {
  return (state: SupervisorStateType, config?: LangGraphRunnableConfig): SupervisorUpdate => {
    reportProgress(config, { kind: "node_started", node: GENERATOR_NODES[format] });
    return { final_result: GENERATORS[format](generatorInput(state)) };
  };
}

/** Closes the turn: the answer joins the conversation the model sees next turn, and the turn is recorded. */
export function respondNode() {
  return (state: SupervisorStateType): SupervisorUpdate => {
    const turn = state.turn;
    const answer = state.aggregated_data?.final_answer ?? "";
    if (!turn) return {};
    return {
      messages: [new AIMessage(answer)],
      turns: [
        {
          run_id: turn.run_id,
          request: turn.request,
          answer,
          format: turn.format,
          at: new Date().toISOString(),
        },
      ],
    };
  };
}
