import { Command } from "@langchain/langgraph";
import {
  branchCheckpointIds,
  firstCheckpointId,
  pendingWriteKeys,
  truncateThreadAfter,
} from "../../store/checkpoints.js";
import type { IndexedTurn, Store } from "../../store/index.js";
import { buildSupervisorGraph, type SupervisorGraph } from "../graph.js";
import type { SupervisorDeps } from "../nodes/deps.js";
import { newTurnInput, type SupervisorStateType, type TurnInput } from "../state.js";
import { type ApprovalDecision, ApprovalRequestSchema, type RunResult, RunResultSchema } from "../types.js";
import { checkpointIdOf, checkpointOf, currentBranch, threadConfig } from "./branch.js";
import { StreamTranslator } from "./stream.js";
import { TurnIndex } from "./turn-index.js";
import type { BranchCheckpoint, Decisions, RunHead, RunHooks, RunOutcome } from "./types.js";

/**
 * LangGraph stops a run after this many supersteps. A chained plan takes two per step (schedule,
 * execute), twice with a replan, plus the fixed nodes around them.
 */
function recursionLimit(maxSteps: number): number {
  return 4 * maxSteps + 20;
}

/**
 * Where a failed run puts the thread back to: its head, and the pending writes the head held (the work
 * of a paused superstep), as opaque keys. The run may add writes to that same checkpoint.
 */
export interface ThreadMark {
  checkpointId: string;
  writes: string[];
}

/** The thread's latest checkpoint, as far as the conversation layer needs it. */
export interface ThreadHead {
  checkpointId: string;
  /** Completed turns. */
  turns: number;
}

/** Completed turns of a thread's current branch: how many, and one page of them. */
export interface TurnPage {
  count: number;
  /** Oldest first. */
  turns: IndexedTurn[];
}

/**
 * The supervisor graph behind a small, LangGraph-free surface: start a turn, resume with decisions,
 * read the head, the turns and the current branch, fork from a checkpoint, truncate back to one, delete
 * a thread. Checkpoints live in the store's checkpointer, with the turn index derived from them; this is
 * the only module that speaks to LangGraph's runtime for the conversation layer.
 */
export class SupervisorRunner {
  private readonly graph: SupervisorGraph;
  private readonly turnIndex: TurnIndex;

  constructor(
    private readonly deps: SupervisorDeps,
    private readonly store: Pick<Store, "checkpointer" | "db" | "turnIndex">,
  ) {
    this.graph = buildSupervisorGraph(deps, store.checkpointer);
    this.turnIndex = new TurnIndex(store, async (threadKey) => {
      const head = await this.graph.getState(threadConfig(threadKey));
      return (head.values as Partial<SupervisorStateType>).turns ?? [];
    });
  }

  /** Runs a new turn of the thread's conversation until it finishes or pauses for approvals. */
  startTurn(threadKey: string, turn: TurnInput, hooks: RunHooks): Promise<RunOutcome> {
    return this.drive(threadKey, newTurnInput(turn), hooks);
  }

  /**
   * Resumes a paused or cut-short run: with `decisions` for the approvals it waits on, or without, to
   * carry on from its last checkpoint (steps that finished keep their results).
   */
  resume(threadKey: string, decisions: Decisions | undefined, hooks: RunHooks): Promise<RunOutcome> {
    return this.drive(threadKey, decisions ? new Command({ resume: decisions }) : null, hooks);
  }

  async head(threadKey: string): Promise<ThreadHead | undefined> {
    const state = await this.graph.getState(threadConfig(threadKey));
    if (state.createdAt === undefined) return undefined;
    const turns = (state.values as Partial<SupervisorStateType>).turns ?? [];
    return { checkpointId: checkpointIdOf(state), turns: turns.length };
  }

  /**
   * The thread's head as a job picking up a run needs it: the turn under way (or the last one), whether
   * it finished, and what it holds so far (its plan and the steps that finished), so a run carried on
   * elsewhere shows the same progress and a finished one is reported, not run again.
   */
  async current(threadKey: string): Promise<RunHead | undefined> {
    const state = await this.graph.getState(threadConfig(threadKey));
    if (state.createdAt === undefined) return undefined;
    const values = state.values as Partial<SupervisorStateType>;
    // `next` leaves out tasks whose writes are already saved on the checkpoint (a step that finished
    // just before the cut, its own checkpoint never written): the turn is over only with no task left.
    const complete = state.next.length === 0 && state.tasks.length === 0;
    const turn = values.turn ?? null;
    return {
      checkpointId: checkpointIdOf(state),
      turn,
      turns: values.turns?.length ?? 0,
      complete,
      plan: values.plan ?? [],
      stepResults: Object.values(values.step_results ?? {}).sort((a, b) => a.step_id - b.step_id),
      result: complete && turn ? safeResultOf(values as SupervisorStateType) : undefined,
    };
  }

  /** The checkpoints of the conversation as it stands (abandoned branches left out), newest first. */
  async branch(threadKey: string): Promise<BranchCheckpoint[]> {
    return (await currentBranch(this.graph, threadKey)).map(checkpointOf);
  }

  /**
   * The newest `limit` checkpoints of the conversation as it stands (or those older than the checkpoint
   * `before`), and how many it has in all.
   */
  async checkpoints(
    threadKey: string,
    limit: number,
    before?: string,
  ): Promise<{ checkpoints: BranchCheckpoint[]; total: number }> {
    const { ids, total } = await branchCheckpointIds(this.store.db, threadKey, limit, before);
    const checkpoints = await Promise.all(
      ids.map(async (id) => checkpointOf(await this.graph.getState(threadConfig(threadKey, id)))),
    );
    return { checkpoints, total };
  }

  /** The completed turns of the conversation as it stands: the newest `limit` numbered below `before`. */
  async turns(threadKey: string, limit: number, before?: number): Promise<TurnPage> {
    const count = await this.turnIndex.reconcile(threadKey);
    return { count, turns: limit > 0 ? await this.turnIndex.page(threadKey, limit, before) : [] };
  }

  /**
   * Where going back `back` turns forks from: the end of the turn before them, the thread's first
   * checkpoint when that is all of them. `checkpointId` is undefined when `back` is not between 1 and
   * `completed`.
   */
  async rewindPoint(
    threadKey: string,
    back: number,
  ): Promise<{ completed: number; checkpointId: string | undefined }> {
    const completed = await this.turnIndex.reconcile(threadKey);
    if (!Number.isInteger(back) || back < 1 || back > completed)
      return { completed, checkpointId: undefined };
    const keep = completed - back;
    const checkpointId =
      keep === 0
        ? await firstCheckpointId(this.store.db, threadKey)
        : await this.turnIndex.endOf(threadKey, keep);
    return { completed, checkpointId };
  }

  /**
   * Makes a new head from an earlier checkpoint (time travel): the next message continues from there;
   * the abandoned branch stays in the store. Undefined when the thread has no such checkpoint.
   */
  async fork(
    threadKey: string,
    checkpointId: string,
  ): Promise<{ checkpointId: string; turns: number } | undefined> {
    const from = await this.graph.getState(threadConfig(threadKey, checkpointId)).catch(() => undefined);
    // For an unknown id LangGraph returns an empty snapshot echoing the config, with no creation time.
    if (from?.createdAt === undefined) return undefined;
    // Written "as" the last node, so the fork is a finished turn (nothing left to run) with the old values.
    const forked = await this.graph.updateState(from.config, {}, "respond");
    await this.turnIndex.reconcile(threadKey);
    return {
      checkpointId: forked.configurable?.checkpoint_id as string,
      turns: checkpointOf(from).turns.length,
    };
  }

  /** Waits for LangGraph's background checkpoint writes of the thread (an aborted run leaves some). */
  settle(threadKey: string): Promise<void> {
    return this.store.checkpointer.settled(threadKey);
  }

  /** The thread as it stands, for `truncate` to put it back to; undefined for a thread with no checkpoint. */
  async mark(threadKey: string): Promise<ThreadMark | undefined> {
    await this.settle(threadKey);
    const head = await this.head(threadKey);
    if (!head) return undefined;
    return {
      checkpointId: head.checkpointId,
      writes: await pendingWriteKeys(this.store.db, threadKey, head.checkpointId),
    };
  }

  /**
   * Removes a failed run's traces: everything after `checkpointId`, and the writes on it that are not in
   * `keepWrites` (what it held at `mark`); the whole thread when `checkpointId` is undefined. Pass no
   * `keepWrites` only for a checkpoint that ends a turn (it holds no work of its own).
   */
  async truncate(
    threadKey: string,
    checkpointId: string | undefined,
    keepWrites: readonly string[] = [],
  ): Promise<void> {
    await this.settle(threadKey);
    if (checkpointId) {
      await truncateThreadAfter(this.store.db, threadKey, checkpointId, keepWrites);
      await this.turnIndex.truncated(threadKey, checkpointId);
    } else await this.deleteThread(threadKey);
  }

  async deleteThread(threadKey: string): Promise<void> {
    await this.store.checkpointer.deleteThread(threadKey);
    await this.turnIndex.deleteThread(threadKey);
  }

  private async drive(threadKey: string, input: unknown, hooks: RunHooks): Promise<RunOutcome> {
    const config = threadConfig(threadKey);
    const translator = new StreamTranslator();
    // `input` is never undefined (null carries a run on), so the first pass always streams.
    let next: unknown = input;
    const reapplied = new Set<string>();
    while (next !== undefined) {
      const stream = await this.graph.stream(next as never, {
        ...config,
        streamMode: ["updates", "custom"],
        signal: hooks.signal,
        recursionLimit: recursionLimit(this.deps.maxSteps),
      });
      const decided: Record<string, ApprovalDecision> = {};
      for await (const chunk of stream) {
        const { progress, interrupts } = translator.translate(chunk);
        for (const item of progress) hooks.onProgress(item);
        for (const interrupt of interrupts) {
          const request = ApprovalRequestSchema.parse(interrupt.value);
          const earlier = await hooks.onApproval({ interruptId: interrupt.id, request });
          // Once per interrupt: a step that kept asking would otherwise loop here forever.
          if (earlier && !reapplied.has(interrupt.id)) {
            reapplied.add(interrupt.id);
            decided[interrupt.id] = earlier;
          }
        }
      }
      // A step asking again for a decision the person already made: the process stopped between
      // accepting it and LangGraph recording it. The decision stands; apply it again.
      next = Object.keys(decided).length > 0 ? new Command({ resume: decided }) : undefined;
    }

    const state = await this.graph.getState(config);
    const values = state.values as SupervisorStateType;
    if (state.next.length > 0)
      return { status: "paused", waitingOn: [...state.next], turns: values.turns.length };
    await this.turnIndex.turnEnded(threadKey, checkpointIdOf(state), values.turns);
    return {
      status: "finished",
      result: runResultOf(values),
      runId: values.turn?.run_id,
      turns: values.turns.length,
    };
  }
}

function safeResultOf(values: SupervisorStateType): RunResult | undefined {
  try {
    return runResultOf(values);
  } catch {
    return undefined;
  }
}

function runResultOf(values: SupervisorStateType): RunResult {
  const turn = values.turn as TurnInput;
  return RunResultSchema.parse({
    request: turn.request,
    format: turn.format,
    locale: turn.locale,
    intent: { category: values.user_intent?.category ?? "general", language: turn.locale },
    plan: values.plan,
    step_results: Object.values(values.step_results).sort((a, b) => a.step_id - b.step_id),
    aggregated_data: values.aggregated_data,
    final_result: values.final_result,
    usage: values.usage,
    started_at: turn.started_at,
    finished_at: new Date().toISOString(),
  });
}
