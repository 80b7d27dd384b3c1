import { t } from "../../i18n/index.js";
import { clip, oneLine } from "../../vocabulary/index.js";
import type { GraphEdge, GraphJson, GraphNode } from "../types.js";
import { agentIcon, type GeneratorInput, STATUS_COLORS } from "./input.js";

const LABEL_CHARS = 40;

function stepNode(step: GeneratorInput["data"]["steps"][number]): GraphNode {
  return {
    id: `step_${step.step_id}`,
    label: `${agentIcon(step.agent)} ${step.agent}\n${clip(oneLine(step.description), LABEL_CHARS)}`,
    type: step.agent,
    status: step.status,
    color: STATUS_COLORS[step.status] ?? "#9E9E9E",
    metadata: {
      step_id: step.step_id,
      agent: step.agent,
      description: step.description,
      result: step.result,
      confidence: step.confidence,
    },
  };
}

function dependencyEdges(input: GeneratorInput): GraphEdge[] {
  return input.stepResults.flatMap((result) =>
    result.depends_on.map((dep) => ({
      id: `edge_step_${dep}_to_step_${result.step_id}`,
      source: `step_${dep}`,
      target: `step_${result.step_id}`,
      label: "",
      type: "default",
    })),
  );
}

/** The seed's graph JSON (D3 / Cytoscape / React Flow): one node per step, edges are dependencies. */
export function generateGraph(input: GeneratorInput): GraphJson {
  return { nodes: input.data.steps.map(stepNode), edges: dependencyEdges(input), layout: "dagre" };
}

/** The seed's hierarchical variant: a group node per agent holding that agent's steps. */
export function generateHierarchicalGraph(input: GeneratorInput): GraphJson {
  const groups = new Map<string, string[]>();
  for (const step of input.data.steps) {
    const members = groups.get(step.agent) ?? [];
    members.push(`step_${step.step_id}`);
    groups.set(step.agent, members);
  }
  const nodes: GraphNode[] = [];
  for (const [agent, children] of groups) {
    nodes.push({
      id: `group_${agent}`,
      label: t(input.locale, "graph.group_label", { agent: agent.toUpperCase() }),
      type: "group",
      color: "#E0E0E0",
      children,
    });
  }
  for (const step of input.data.steps) nodes.push({ ...stepNode(step), parent: `group_${step.agent}` });
  return { nodes, edges: dependencyEdges(input), layout: "hierarchical" };
}
