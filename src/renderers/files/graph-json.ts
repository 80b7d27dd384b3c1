import type { GraphJson, GraphNode, RunResult } from "../../supervisor/types.js";
import { type ResultView, STATE_COLOUR } from "../view.js";
import type { GraphLayout } from "./graph-layout.js";

/**
 * The graph JSON file: the seed's `{nodes, edges, layout}` (Cytoscape.js and React Flow read it), with
 * each step node given the `position` it has in the picture so a viewer can show the same layout.
 */

type PositionedNode = GraphNode & { position?: { x: number; y: number } };

/** The seed's graph shape built from the steps, for results whose graph generator did not run. */
export function graphFromSteps(view: ResultView): GraphJson {
  const ids = new Set(view.steps.map((step) => step.id));
  return {
    nodes: view.steps.map((step) => ({
      id: `step_${step.id}`,
      label: `${step.agent}: ${step.task}`,
      type: step.agent,
      status: step.status,
      color: STATE_COLOUR[step.status],
      metadata: {
        step_id: step.id,
        agent: step.agent,
        description: step.description,
        result: step.result,
        confidence: step.confidence,
      },
    })),
    edges: view.steps.flatMap((step) =>
      [...new Set(step.dependsOn)]
        .filter((dependency) => ids.has(dependency) && dependency !== step.id)
        .map((dependency) => ({
          id: `edge_step_${dependency}_to_step_${step.id}`,
          source: `step_${dependency}`,
          target: `step_${step.id}`,
          label: "depends on",
          type: "dependency",
        })),
    ),
    layout: "dagre",
  };
}

function stepIdOf(node: GraphNode): number | undefined {
  if (node.metadata) return node.metadata.step_id;
  const match = /^step_(\d+)$/.exec(node.id);
  return match ? Number(match[1]) : undefined;
}

export function positionedGraph(graph: GraphJson, layout: GraphLayout | undefined): GraphJson {
  if (!layout) return graph;
  const centres = new Map(
    layout.nodes.map((node) => [
      node.step.id,
      { x: Math.round(node.x + node.width / 2), y: Math.round(node.y + node.height / 2) },
    ]),
  );
  const nodes = graph.nodes.map((node): PositionedNode => {
    const id = stepIdOf(node);
    const position = id === undefined ? undefined : centres.get(id);
    return position ? { ...node, position } : node;
  });
  return { ...graph, nodes };
}

export function graphJsonOf(result: RunResult, view: ResultView, layout: GraphLayout | undefined): GraphJson {
  return positionedGraph(result.final_result.graph ?? graphFromSteps(view), layout);
}
