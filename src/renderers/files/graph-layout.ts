import dagre from "@dagrejs/dagre";
import type { StepState } from "../view.js";
import { measure, printable, wrap } from "./font.js";

/**
 * Places the plan's steps with dagre (a maintained Sugiyama layout) and sizes every box from the real
 * font metrics, so labels never spill out of their boxes in the picture.
 */

export interface GraphStep {
  id: number;
  agent: string;
  task: string;
  status: StepState;
  dependsOn: number[];
}

export interface LaidNode {
  step: GraphStep;
  /** Top-left corner and size, in px. */
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  taskLines: string[];
}

export interface LaidEdge {
  from: number;
  to: number;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  width: number;
  height: number;
  direction: "TB" | "LR";
  nodes: LaidNode[];
  edges: LaidEdge[];
}

export const NODE_STYLE = {
  width: 232,
  padding: 10,
  titleSize: 13,
  taskSize: 12,
  lineHeight: 17,
  taskLines: 2,
} as const;

/** Chat clients show wide pictures best; of the two directions, keep the one nearer this aspect ratio. */
const TARGET_ASPECT = 1.6;

function sizeNodes(steps: GraphStep[]): Map<number, Omit<LaidNode, "x" | "y">> {
  const inner = NODE_STYLE.width - 2 * NODE_STYLE.padding;
  const sized = new Map<number, Omit<LaidNode, "x" | "y">>();
  for (const step of steps) {
    const title = printable(`#${step.id} · ${step.agent}`);
    const titleLine = wrap(title, inner, NODE_STYLE.titleSize, 1, "bold")[0] ?? "";
    const taskLines = wrap(printable(step.task), inner, NODE_STYLE.taskSize, NODE_STYLE.taskLines);
    const height = NODE_STYLE.padding * 2 + NODE_STYLE.lineHeight * (1 + Math.max(1, taskLines.length)) + 4;
    sized.set(step.id, { step, width: NODE_STYLE.width, height, title: titleLine, taskLines });
  }
  return sized;
}

function runDagre(steps: GraphStep[], sized: Map<number, Omit<LaidNode, "x" | "y">>, direction: "TB" | "LR") {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: direction, nodesep: 28, ranksep: 56, marginx: 24, marginy: 24 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const [id, node] of sized) graph.setNode(String(id), { width: node.width, height: node.height });
  const edges: { from: number; to: number }[] = [];
  for (const step of steps) {
    for (const dependency of new Set(step.dependsOn)) {
      // A dependency on a step that is not in the plan has nothing to point at; it is left out.
      if (!sized.has(dependency) || dependency === step.id) continue;
      graph.setEdge(String(dependency), String(step.id));
      edges.push({ from: dependency, to: step.id });
    }
  }
  dagre.layout(graph);
  const label = graph.graph();
  return { graph, edges, width: label.width ?? 0, height: label.height ?? 0 };
}

export function layoutGraph(steps: GraphStep[]): GraphLayout {
  const sized = sizeNodes(steps);
  const candidates = (["TB", "LR"] as const).map((direction) => ({
    direction,
    ...runDagre(steps, sized, direction),
  }));
  const score = (width: number, height: number) =>
    Math.abs(Math.log(Math.max(width, 1) / Math.max(height, 1)) - Math.log(TARGET_ASPECT));
  const best = candidates.reduce((a, b) => (score(b.width, b.height) < score(a.width, a.height) ? b : a));

  const nodes: LaidNode[] = [];
  for (const [id, node] of sized) {
    const placed = best.graph.node(String(id));
    nodes.push({ ...node, x: (placed.x ?? 0) - node.width / 2, y: (placed.y ?? 0) - node.height / 2 });
  }
  const edges = best.edges.map(({ from, to }) => ({
    from,
    to,
    points: ((best.graph.edge(String(from), String(to))?.points ?? []) as { x: number; y: number }[]).map(
      (p) => ({ x: p.x, y: p.y }),
    ),
  }));
  return {
    width: Math.ceil(Math.max(best.width, 1)),
    height: Math.ceil(Math.max(best.height, 1)),
    direction: best.direction,
    nodes,
    edges,
  };
}

/** Width a single-line text needs, used to size the legend and title. */
export function textWidth(text: string, size: number, bold = false): number {
  return measure(text, size, bold ? "bold" : "regular");
}
