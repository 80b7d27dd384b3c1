import { describe, expect, it } from "vitest";
import type { Queryable } from "../../src/store/index.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { ofType, planOf, send, serviceFixture } from "./support.js";

const THREAD = "console:long";
/** More than the 1,000 checkpoints (about ten a turn) the history walk used to look back over. */
const TURNS = 105;

const request = (n: number) => `search item ${n}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// One kind only: building the thread is most of the test's time (the Postgres server when it answers).
describe("history and rewind on a conversation of more than 100 turns", () => {
  const fixture = serviceFixture("postgres");

  it("rewinds to the right turn, pages its history, and keeps both right after failed runs", async () => {
    let failIntent = false;
    const { service } = fixture.make({
      scripted: {
        handlers: {
          intent: () => {
            if (failIntent) throw new OctoError("llm_invalid_output", "bad json");
            return { category: "search", summary: "s" };
          },
          plan: (call) => planOf({ id: 1, agent: "search", task: String(call.context.request) })(),
        },
      },
    });
    const say = (text: string) => send(service, text, { threadKey: THREAD });
    for (const n of range(1, TURNS)) await say(request(n));
    const written = (await service.history(THREAD, { limit: 200 })).turns;
    expect(written.map((turn) => turn.request)).toEqual(range(1, TURNS).map(request));
    const newest = written.at(-1)?.checkpointId as string;

    // Back past every turn, and back to the second one, far beyond what the old walk saw: it forked from
    // the oldest checkpoint it happened to read and reported success, or refused.
    expect((await service.rewind(THREAD, { turns: TURNS })).turns).toBe(0);
    expect((await service.history(THREAD)).turns).toEqual([]);
    // Forward again to the abandoned branch's last turn: the index is rebuilt from that branch's checkpoints
    // and matches, turn for turn, what was written as the turns ended.
    expect((await service.rewind(THREAD, { checkpointId: newest })).turns).toBe(TURNS);
    expect((await service.history(THREAD, { limit: 200 })).turns).toEqual(written);
    expect((await service.rewind(THREAD, { turns: TURNS - 2 })).turns).toBe(2);
    expect((await service.history(THREAD)).turns.map((turn) => turn.request)).toEqual([
      request(1),
      request(2),
    ]);
    expect((await service.rewind(THREAD, { checkpointId: newest })).turns).toBe(TURNS);
    const indexed = await turnRows(fixture.store().db, THREAD);
    expect(indexed).toHaveLength(TURNS);

    const latest = await service.history(THREAD);
    expect(latest.turnCount).toBe(TURNS);
    expect(latest.turns.map((turn) => turn.index)).toEqual(range(TURNS - 19, TURNS));
    expect(latest.turns.map((turn) => turn.request)).toEqual(range(TURNS - 19, TURNS).map(request));
    expect(latest.olderBefore).toBe(TURNS - 19);
    const older = await service.history(THREAD, { before: latest.olderBefore, limit: 20 });
    expect(older.turns.map((turn) => turn.index)).toEqual(range(TURNS - 39, TURNS - 20));
    const first = await service.history(THREAD, { before: 6 });
    expect(first.turns.map((turn) => turn.request)).toEqual(range(1, 5).map(request));
    expect(first.olderBefore).toBeUndefined();
    expect(latest.checkpoints).toHaveLength(10);
    expect(latest.checkpoints[0]?.turns).toBe(TURNS);
    expect(latest.checkpointCount).toBeGreaterThan(1_000);

    // A run that fails is rolled back: nothing that completed goes, nothing of it stays.
    failIntent = true;
    expect(ofType(await say("search broken"), "error")).toHaveLength(1);
    failIntent = false;
    // One that fails after its turn ended (the session could not be saved) leaves no turn behind either.
    const sessions = fixture.store().sessions;
    const settle = sessions.settle.bind(sessions);
    sessions.settle = async (threadId, status, turns) => {
      sessions.settle = settle;
      throw new Error(`cannot save ${threadId} as ${status} with ${turns} turns`);
    };
    expect(ofType(await say("search lost"), "error")).toHaveLength(1);
    // Read before history, which would mend a stale row, so the rollback itself is what is checked.
    expect(await turnRows(fixture.store().db, THREAD)).toEqual(indexed);
    const afterFailures = await service.history(THREAD, { limit: 2 });
    expect(afterFailures.turnCount).toBe(TURNS);
    expect(afterFailures.turns.map((turn) => turn.request)).toEqual([request(TURNS - 1), request(TURNS)]);

    expect((await service.rewind(THREAD, { turns: 1 })).turns).toBe(TURNS - 1);
    expect((await service.history(THREAD, { limit: 1 })).turns.map((turn) => turn.request)).toEqual([
      request(TURNS - 1),
    ]);
    // All the way back to the start, then a new first turn.
    expect((await service.rewind(THREAD, { turns: TURNS - 1 })).turns).toBe(0);
    expect(await service.history(THREAD)).toMatchObject({ turns: [], turnCount: 0 });
    await say("search fresh");
    const fresh = await service.history(THREAD);
    expect(fresh.turns.map((turn) => [turn.index, turn.request])).toEqual([[1, "search fresh"]]);
    await expect(service.rewind(THREAD, { turns: 2 })).rejects.toMatchObject({ code: "nothing_to_rewind" });
  }, 120_000);
});

async function turnRows(db: Queryable, thread: string) {
  const result = await db.query(
    "SELECT turn_index, checkpoint_id, run_id, request FROM octo_turns WHERE thread_id = $1 ORDER BY turn_index",
    [thread],
  );
  return result.rows;
}
