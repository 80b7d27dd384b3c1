import { describe, expect, it } from "vitest";
import type { ScriptedCall } from "../../src/llm/scripted.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { send, serviceFixture } from "./support.js";

describe.each(DATABASE_KINDS)("conversation history, rewind and forget on %s", (kind) => {
  const fixture = serviceFixture(kind);
  const make = fixture.make;

  it("lists checkpoints newest first and rewinds by forking from an earlier turn", async () => {
    const { service, llm } = make();
    for (const text of ["search cats", "search dogs", "search birds"]) await send(service, text);
    const history = await service.history("console:t");
    expect(history.turns.map((turn) => turn.request)).toEqual(["search cats", "search dogs", "search birds"]);
    const times = history.checkpoints.map((c) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(history.checkpoints[0]?.turns).toBe(3);
    expect(history.session?.turns).toBe(3);

    const rewound = await service.rewind("console:t", { turns: 1 });
    expect(rewound.turns).toBe(2);
    const after = await service.history("console:t");
    expect(after.turns.map((turn) => turn.request)).toEqual(["search cats", "search dogs"]);
    expect(after.checkpoints[0]?.checkpointId).toBe(rewound.checkpointId);
    expect(after.session?.turns).toBe(2);

    // A request that refers back ("those") sees the turns left after the rewind, not the rewound one.
    await send(service, "search fish like those");
    const planCall = (llm as { calls: ScriptedCall[] }).calls.filter((c) => c.purpose === "plan").at(-1);
    expect(planCall?.messages.at(-1)?.content).toContain("search dogs");
    expect(planCall?.messages.at(-1)?.content).not.toContain("search birds");
    expect((await service.history("console:t")).turns.map((turn) => turn.request)).toEqual([
      "search cats",
      "search dogs",
      "search fish like those",
    ]);

    const byId = await service.rewind("console:t", {
      checkpointId: history.turns[0]?.checkpointId as string,
    });
    expect(byId.turns).toBe(1);
    expect((await service.history("console:t")).turns.map((turn) => turn.request)).toEqual(["search cats"]);
  });

  it("refuses a rewind to a checkpoint that does not exist or further back than the conversation", async () => {
    const { service } = make();
    await send(service, "search cats");
    const before = await service.history("console:t");
    await expect(
      service.rewind("console:t", { checkpointId: "1f000000-0000-6000-8000-000000000000" }),
    ).rejects.toMatchObject({
      code: "checkpoint_not_found",
    });
    await expect(service.rewind("console:t", { turns: 5 })).rejects.toMatchObject({
      code: "nothing_to_rewind",
    });
    expect((await service.history("console:t")).checkpoints).toEqual(before.checkpoints);
  });

  it("indexes a conversation from before the turn index the first time its history is read", async () => {
    const { service } = make();
    for (const text of ["search cats", "search dogs", "search birds"]) await send(service, text);
    await service.rewind("console:t", { turns: 1 });
    await send(service, "search fish");
    const written = await service.history("console:t");
    const db = fixture.store().db;
    await db.query("DELETE FROM octo_turns WHERE thread_id = $1", ["console:t"]);
    const backfilled = await service.history("console:t");
    expect(backfilled.turns).toEqual(written.turns);
    expect(backfilled.turns.map((turn) => turn.request)).toEqual([
      "search cats",
      "search dogs",
      "search fish",
    ]);
    const rows = await db.query("SELECT count(*)::int AS n FROM octo_turns WHERE thread_id = $1", [
      "console:t",
    ]);
    expect(rows.rows[0]).toEqual({ n: 3 });
    // The back-filled index is the one rewind uses.
    expect((await service.rewind("console:t", { turns: 2 })).turns).toBe(1);
    expect((await service.history("console:t")).turns.map((turn) => turn.request)).toEqual(["search cats"]);
  });

  it("forgets a conversation: checkpoints, approvals and session", async () => {
    const { service } = make();
    await send(service, "draft an NDA contract");
    expect(await service.forget("console:t")).toBe(true);
    const history = await service.history("console:t");
    expect(history).toMatchObject({ session: undefined, turns: [], checkpoints: [], pendingApprovals: [] });
    expect(history).toMatchObject({ turnCount: 0, checkpointCount: 0 });
    const rows = await fixture.store().db.query("SELECT thread_id FROM octo_turns");
    expect(rows.rows).toEqual([]);
    expect(await service.forget("console:t")).toBe(false);
  });
});
