import { z } from "zod";
import { LOCALES, OUTPUT_FORMATS } from "../vocabulary/index.js";
import { PLATFORMS } from "./types.js";

/**
 * The units of work on a thread, as they wait in the job queue. A job holds everything its run needs
 * (the request itself, not a pointer to memory), so whichever process takes it, after whatever crash,
 * can run it; a turn's request is kept from the moment it was accepted until its answer is delivered.
 */
const common = {
  platform: z.enum(PLATFORMS),
  threadKey: z.string().min(1),
  runId: z.string().min(1),
  /** Who the run is for (the turn's requester). */
  user: z.string(),
  locale: z.enum(LOCALES),
  /**
   * A plain reply in a thread rather than a mention: refusals that change nothing go to the poster
   * alone and the progress card waits until a run really starts.
   */
  quiet: z.boolean().default(false),
  /** Set when a caller in the accepting process reads the run's events itself (see RunRoutes). */
  followId: z.string().optional(),
};

const TurnJobSchema = z.object({
  kind: z.literal("turn"),
  ...common,
  text: z.string(),
  format: z.enum(OUTPUT_FORMATS),
  attachments: z
    .array(
      z.object({
        name: z.string(),
        text: z.string().optional(),
        data: z.string().optional(),
        mimeType: z.string().optional(),
      }),
    )
    .default([]),
  acceptedAt: z.string(),
  /** A message already in the thread that shows this turn's progress (see SendInput.progressCard). */
  progressCard: z.string().optional(),
  /** The retry this turn re-sends: claimed with the job, released if the turn is refused before it runs. */
  retryId: z.string().optional(),
});

const DecisionJobSchema = z.object({
  kind: z.literal("decision"),
  ...common,
  approvalId: z.string(),
  interruptId: z.string(),
  decision: z.enum(["approve", "reject", "edit"]),
  by: z.string(),
  editedTask: z.string().optional(),
  /** The checkpoint the run paused at: where a resume that fails goes back to. */
  pausedAt: z.string().optional(),
  /** The pending writes it held then (a failed resume drops every write added after them). */
  pausedWrites: z.array(z.string()).default([]),
});

/** Approvals nobody decided in time count as rejected: the paused run goes on without their steps. */
const ExpiryJobSchema = z.object({ kind: z.literal("expiry"), ...common });

/** A run that was cut short (a crash, a deploy, a version before the queue) carried on. */
const ResumeJobSchema = z.object({ kind: z.literal("resume"), ...common });

export const ThreadJobSchema = z.discriminatedUnion("kind", [
  TurnJobSchema,
  DecisionJobSchema,
  ExpiryJobSchema,
  ResumeJobSchema,
]);
export type ThreadJob = z.infer<typeof ThreadJobSchema>;
export type TurnJob = z.infer<typeof TurnJobSchema>;
export type DecisionJob = z.infer<typeof DecisionJobSchema>;
