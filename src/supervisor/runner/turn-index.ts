import { branchTurnEnds, channelVersion } from "../../store/checkpoints.js";
import type { IndexedTurn, Store } from "../../store/index.js";
import type { TurnRecord } from "../state.js";

/** The state channel holding the completed turns; the graph's last node is its only writer. */
const TURNS_CHANNEL = "turns";

/**
 * Keeps the store's turn index true to a thread's checkpoints: a row per completed turn of the current
 * branch, naming the checkpoint the turn ended at and the version of the turns channel there. Checking it
 * costs two small queries and no blobs: the head's turns channel version names the row of its newest
 * turn, and the rows up to it are the branch's. Whatever fails that check (a thread from before the
 * index, a process that stopped between a turn's last checkpoint and its row, a fork onto an abandoned
 * branch) is indexed again from the checkpoints.
 */
export class TurnIndex {
  constructor(
    private readonly store: Pick<Store, "db" | "turnIndex">,
    /** The completed turns at the thread's head, from its checkpointed state (a blob read; rare). */
    private readonly headTurns: (threadKey: string) => Promise<TurnRecord[]>,
  ) {}

  /** A turn ended at `checkpointId`; `turns` are the completed turns there, the new one last. */
  async turnEnded(threadKey: string, checkpointId: string, turns: readonly TurnRecord[]): Promise<void> {
    const last = turns.at(-1);
    const at = await channelVersion(this.store.db, threadKey, TURNS_CHANNEL, checkpointId);
    if (last && at?.version)
      await this.store.turnIndex.record(threadKey, indexed(last, turns.length, checkpointId, at.version));
    await this.reconcile(threadKey);
  }

  /**
   * Makes the rows describe the thread's current branch and returns its completed turns: rows past the
   * head's newest turn go (a rewind), and a thread whose rows do not lead up to it is indexed again.
   */
  async reconcile(threadKey: string): Promise<number> {
    const head = await channelVersion(this.store.db, threadKey, TURNS_CHANNEL);
    if (!head?.version) {
      // No checkpoints, or none where a turn completed (a first turn still running, a rewind to the start).
      await this.store.turnIndex.deleteThread(threadKey);
      return 0;
    }
    const newest = await this.store.turnIndex.byVersion(threadKey, head.version);
    if (newest) {
      await this.store.turnIndex.dropTurnsAfter(threadKey, newest.turnIndex);
      if ((await this.store.turnIndex.count(threadKey)) === newest.turnIndex) return newest.turnIndex;
    }
    return this.reindex(threadKey);
  }

  /** The end of turn `turnIndex` on the current branch, as last reconciled. */
  async endOf(threadKey: string, turnIndex: number): Promise<string | undefined> {
    return (await this.store.turnIndex.get(threadKey, turnIndex))?.checkpointId;
  }

  page(threadKey: string, limit: number, before: number | undefined): Promise<IndexedTurn[]> {
    return this.store.turnIndex.page(threadKey, limit, before);
  }

  /** Checkpoints after `checkpointId` were dropped (a failed run rolled back): so go the turns ending there. */
  truncated(threadKey: string, checkpointId: string): Promise<void> {
    return this.store.turnIndex.dropEndedAfter(threadKey, checkpointId);
  }

  deleteThread(threadKey: string): Promise<void> {
    return this.store.turnIndex.deleteThread(threadKey);
  }

  /**
   * Indexes the thread from its checkpoints: one walk over their ids and channel versions, and the head's
   * turns for what they said. Refuses to write an index that disagrees with the state rather than let a
   * rewind pick a wrong turn.
   */
  private async reindex(threadKey: string): Promise<number> {
    const ends = await branchTurnEnds(this.store.db, threadKey, TURNS_CHANNEL);
    const turns = await this.headTurns(threadKey);
    if (ends.length !== turns.length) {
      throw new Error(
        `cannot index ${threadKey}: ${ends.length} turn ends on its branch for ${turns.length} completed turns`,
      );
    }
    await this.store.turnIndex.replace(
      threadKey,
      turns.map((turn, i) => {
        const end = ends[i] as { checkpointId: string; version: string };
        return indexed(turn, i + 1, end.checkpointId, end.version);
      }),
    );
    return turns.length;
  }
}

function indexed(
  turn: TurnRecord,
  turnIndex: number,
  checkpointId: string,
  turnsVersion: string,
): IndexedTurn {
  return {
    turnIndex,
    checkpointId,
    turnsVersion,
    runId: turn.run_id,
    request: turn.request,
    answer: turn.answer,
    format: turn.format,
    at: turn.at,
  };
}
