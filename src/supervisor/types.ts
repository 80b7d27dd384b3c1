import { z } from "zod";
import { LOCALES, OUTPUT_FORMATS } from "../vocabulary/index.js";

/**
 * Platform-neutral contracts of the supervisor: what the graph produces and what renderers and the
 * conversation service consume. Nothing here knows about Slack, Discord or the console.
 */

export const STEP_OUTCOMES = ["completed", "failed", "skipped"] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

export const PlanStepSchema = z.object({
  id: z.number().int().positive(),
  agent: z.string().min(1),
  task: z.string().min(1),
  description: z.string(),
  depends_on: z.array(z.number().int().positive()),
  needs_approval: z.boolean(),
  /** Set when the planner named an agent that does not exist and the step fell back to another one. */
  requested_agent: z.string().optional(),
  /** Set when the agent was chosen from the request's words because the model's choice was unusable. */
  routed_by: z.enum(["keywords"]).optional(),
  /** Why the step needs approval (planner flag or agent policy), in the request's language. */
  approval_reason: z.string().optional(),
  /** 0 for the first plan of a turn, 1 for steps added by the replan after failures. */
  round: z.number().int().min(0).default(0),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

export const ApprovalDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve"), by: z.string() }),
  z.object({ decision: z.literal("reject"), by: z.string(), reason: z.string().optional() }),
  z.object({ decision: z.literal("edit"), by: z.string(), edited_task: z.string().min(1) }),
]);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

/** What `interrupt()` carries when a step waits for a human. */
export const ApprovalRequestSchema = z.object({
  approval_id: z.string(),
  step: z.number().int(),
  agent: z.string(),
  task: z.string(),
  reason: z.string(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const LlmUsageTotalsSchema = z.object({
  calls: z.number().int().nonnegative(),
  cached_calls: z.number().int().nonnegative(),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  llm_ms: z.number().nonnegative(),
});
export type LlmUsageTotals = z.infer<typeof LlmUsageTotalsSchema>;

/** What a step cites: a page (title and URL) or a document passage (title and the quoted snippet). */
export const SourceSchema = z.object({
  title: z.string(),
  url: z.string().optional(),
  snippet: z.string().optional(),
});

/**
 * What a step made besides its text, kept as data (JSON, in the checkpoint) so renderers turn it into
 * each platform's files: a document (a filled contract: Markdown and PDF), a table (query results), a
 * chart (a Vega-Lite spec with its data inline, drawn to PNG by the renderers). Bounded by the tools that
 * make them; never raw bytes.
 */
export const ArtifactSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("document"),
    title: z.string(),
    /** File name without extension (`nda-acme-2026-12-01`); renderers add `.md` / `.pdf`. */
    name: z.string(),
    markdown: z.string(),
  }),
  z.object({
    kind: z.literal("table"),
    title: z.string(),
    name: z.string(),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
    /** More rows existed than were kept. */
    truncated: z.boolean(),
  }),
  z.object({
    kind: z.literal("chart"),
    title: z.string(),
    name: z.string(),
    /** A Vega-Lite spec with inline data values. */
    spec: z.record(z.string(), z.unknown()),
  }),
]);
export type Artifact = z.infer<typeof ArtifactSchema>;

/** Everything known about one executed (or skipped) step; richer than the seed's step record. */
export const StepResultSchema = z.object({
  step_id: z.number().int(),
  agent: z.string(),
  task: z.string(),
  description: z.string(),
  depends_on: z.array(z.number().int()),
  status: z.enum(STEP_OUTCOMES),
  result: z.string(),
  confidence: z.number().min(0).max(1),
  /** Why a step was skipped: the person rejected it, or a step it needed did not complete. */
  skip_reason: z.enum(["rejected", "dependency"]).optional(),
  /** Why the model's first answer was unusable (answers/degenerate.ts), when it was. */
  degenerate: z.string().optional(),
  /** The result is what the step had (files, earlier results) or an honest note, not a model answer. */
  fallback: z.boolean().optional(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  duration_ms: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  error: z.string().optional(),
  approval: z
    .object({
      approval_id: z.string(),
      decision: z.enum(["approve", "reject", "edit"]),
      by: z.string(),
      edited_task: z.string().optional(),
    })
    .optional(),
  sources: z.array(SourceSchema).optional(),
  artifacts: z.array(ArtifactSchema).optional(),
  usage: LlmUsageTotalsSchema.optional(),
  round: z.number().int().min(0).default(0),
});
export type StepResult = z.infer<typeof StepResultSchema>;

/** The seed's `aggregated_data`, field for field. */
export const AggregatedDataSchema = z.object({
  final_answer: z.string(),
  execution_summary: z.object({
    total_steps: z.number().int().nonnegative(),
    completed_steps: z.number().int().nonnegative(),
    failed_steps: z.number().int().nonnegative(),
    hitl_interactions: z.number().int().nonnegative(),
    /** Seconds, as in the seed. */
    execution_time: z.number().nonnegative(),
  }),
  insights: z.array(
    z.object({
      category: z.string(),
      description: z.string(),
      importance: z.number().min(0).max(1),
    }),
  ),
  steps: z.array(
    z.object({
      step_id: z.number().int(),
      agent: z.string(),
      description: z.string(),
      status: z.enum(STEP_OUTCOMES),
      result: z.string(),
      confidence: z.number().min(0).max(1),
    }),
  ),
});
export type AggregatedData = z.infer<typeof AggregatedDataSchema>;

export const GraphNodeSchema = z.object({
  id: z.string(),
  label: z.string(),
  type: z.string(),
  status: z.string().optional(),
  color: z.string(),
  parent: z.string().optional(),
  children: z.array(z.string()).optional(),
  metadata: z
    .object({
      step_id: z.number().int(),
      agent: z.string(),
      description: z.string(),
      result: z.string(),
      confidence: z.number(),
    })
    .optional(),
});
export const GraphEdgeSchema = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  label: z.string(),
  type: z.string(),
});
export const GraphJsonSchema = z.object({
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
  layout: z.string(),
});
export type GraphJson = z.infer<typeof GraphJsonSchema>;
export type GraphNode = z.infer<typeof GraphNodeSchema>;
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

/** The seed's json generator output. */
export const JsonResultSchema = z.object({
  summary: z.string(),
  steps: AggregatedDataSchema.shape.steps,
  insights: AggregatedDataSchema.shape.insights,
  metrics: AggregatedDataSchema.shape.execution_summary,
});
export type JsonResult = z.infer<typeof JsonResultSchema>;

/** `final_result`: one entry per generator that ran (all of them for `all`). */
export const FinalResultSchema = z.object({
  chat: z.string().optional(),
  graph: GraphJsonSchema.optional(),
  graph_hierarchical: GraphJsonSchema.optional(),
  report: z.string().optional(),
  json: JsonResultSchema.optional(),
});
export type FinalResult = z.infer<typeof FinalResultSchema>;

/** What a finished turn hands to renderers: the seed's data plus the detail pictures need. */
export const RunResultSchema = z.object({
  request: z.string(),
  format: z.enum(OUTPUT_FORMATS),
  locale: z.enum(LOCALES),
  intent: z.object({ category: z.string(), language: z.enum(LOCALES) }),
  plan: z.array(PlanStepSchema),
  step_results: z.array(StepResultSchema),
  aggregated_data: AggregatedDataSchema,
  final_result: FinalResultSchema,
  usage: LlmUsageTotalsSchema,
  started_at: z.string(),
  finished_at: z.string(),
});
export type RunResult = z.infer<typeof RunResultSchema>;
