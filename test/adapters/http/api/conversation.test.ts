import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../../../support/databases.js";
import { type ApiHarness, openSession, startApi } from "./harness.js";

interface Outcome {
  session_id: string;
  run_id: string;
  status: string;
  result?: {
    request: string;
    final_result: unknown;
    step_results: { agent: string; status: string; task: string }[];
  };
  approvals?: { id: string; step: number; agent: string; run_id: string; requester: string }[];
  error?: { error: string; message: string };
  events_url: string;
}

describe.each(DATABASE_KINDS)("a conversation over the HTTP API, on %s", (kind) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ kind });
  });
  afterAll(async () => {
    await api?.close();
  });

  const message = async (session: string, body: Record<string, unknown>, user = "alice") => {
    const response = await api.call("POST", `/sessions/${session}/messages`, { body, user });
    return { status: response.status, body: (await response.json()) as Outcome };
  };

  it("answers a message with the run's result, and keeps the session for the next one", async () => {
    const session = await openSession(api, { title: "octopus research" });
    const first = await message(session, { text: "search for octopus facts" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ session_id: session, status: "completed" });
    expect(first.body.result?.request).toBe("search for octopus facts");
    expect(first.body.events_url).toBe(`/api/v1/sessions/${session}/runs/${first.body.run_id}/events`);

    const second = await message(session, { text: "analyze the data you found", format: "json" });
    expect(second.status).toBe(200);
    expect(second.body.run_id).not.toBe(first.body.run_id);
    // Every request keeps its session: both turns are in one conversation (the seed's /chat kept none).
    const read = (await (await api.call("GET", `/sessions/${session}`)).json()) as {
      turns: number;
      title: string;
    };
    expect(read).toMatchObject({ turns: 2, title: "octopus research" });

    const runs = (await (await api.call("GET", `/sessions/${session}/runs`)).json()) as {
      runs: { run_id: string; state: string; live: boolean; last_seq: number }[];
    };
    expect(runs.runs.map((run) => [run.run_id, run.state, run.live])).toEqual([
      [second.body.run_id, "completed", false],
      [first.body.run_id, "completed", false],
    ]);
    const events = (await (
      await api.call("GET", `${first.body.events_url.slice("/api/v1".length)}?after=2`)
    ).json()) as {
      events: { id: string; seq: number; event: { type: string; runId: string } }[];
    };
    expect(events.events[0]).toMatchObject({ id: `${first.body.run_id}:3`, seq: 3 });
    expect(events.events.at(-1)?.event.type).toBe("result");
  });

  it("pauses for approval with 202, and a decision by the requester carries the run on", async () => {
    const session = await openSession(api);
    const paused = await message(session, { text: "draft an NDA contract" });
    expect(paused.status).toBe(202);
    expect(paused.body.status).toBe("waiting_approval");
    const [approval] = paused.body.approvals ?? [];
    expect(approval).toMatchObject({ agent: "contract", requester: "alice", run_id: paused.body.run_id });

    const listed = (await (await api.call("GET", `/approvals?session=${session}`)).json()) as {
      approvals: { id: string }[];
    };
    expect(listed.approvals.map((a) => a.id)).toEqual([approval?.id]);

    // Waiting for a decision: a new message is refused, as on every platform; so is closing the session.
    const refused = await message(session, { text: "search for cats" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ error: "approval_pending" });
    const closing = await api.call("PATCH", `/sessions/${session}`, { body: { status: "completed" } });
    expect(closing.status).toBe(409);
    expect(await closing.json()).toMatchObject({ error: "thread_busy" });

    // Only the requester or OCTO_APPROVERS may decide.
    const stranger = await api.call("POST", `/approvals/${approval?.id}`, {
      body: { decision: "approve" },
      user: "mallory",
    });
    expect(stranger.status).toBe(403);
    expect(await stranger.json()).toMatchObject({ error: "approval_not_allowed" });

    const decided = await api.call("POST", `/approvals/${approval?.id}`, { body: { decision: "approve" } });
    expect(decided.status).toBe(200);
    const outcome = (await decided.json()) as Outcome;
    expect(outcome).toMatchObject({ run_id: paused.body.run_id, status: "completed" });
    expect(outcome.result?.step_results[0]).toMatchObject({ agent: "contract", status: "completed" });

    const again = await api.call("POST", `/approvals/${approval?.id}`, { body: { decision: "reject" } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "approval_not_pending" });
  });

  it("takes an edited task from OCTO_APPROVERS, and refuses an edit without one naming the field", async () => {
    const session = await openSession(api);
    const paused = await message(session, { text: "draft an NDA contract" });
    const approvalId = paused.body.approvals?.[0]?.id as string;
    const empty = await api.call("POST", `/approvals/${approvalId}`, {
      body: { decision: "edit" },
      user: "boss",
    });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: "validation_failed", field: "edited_task" });
    const blank = await api.call("POST", `/approvals/${approvalId}`, {
      body: { decision: "edit", edited_task: "x".repeat(12_001) },
      user: "boss",
    });
    expect(blank.status).toBe(400);
    expect(await blank.json()).toMatchObject({ error: "input_too_long", field: "edited_task" });
    const edited = await api.call("POST", `/approvals/${approvalId}`, {
      body: { decision: "edit", edited_task: "draft a mutual NDA" },
      user: "boss",
    });
    expect(edited.status).toBe(200);
    const outcome = (await edited.json()) as Outcome;
    expect(outcome.status).toBe("completed");
    expect(outcome.result?.step_results[0]).toMatchObject({
      task: "draft a mutual NDA",
      status: "completed",
    });
  });

  it("refuses what no run should start from with 400 naming the field, and unknown ids with 404", async () => {
    const session = await openSession(api);
    const cases: [Record<string, unknown>, string, string][] = [
      [{}, "validation_failed", "text"],
      [{ text: "" }, "validation_failed", "text"],
      [{ text: "   " }, "input_empty", "text"],
      [{ text: "x".repeat(12_001) }, "input_too_long", "text"],
      [{ text: "hi", format: "poster" }, "validation_failed", "format"],
      [{ text: "hi", files: [{ name: "" }] }, "validation_failed", "files.0.name"],
      [
        { text: "hi", files: Array.from({ length: 6 }, (_, i) => ({ name: `${i}.txt` })) },
        "validation_failed",
        "files",
      ],
      [
        { text: "hi", files: [{ name: "m.parquet", data: "not base64!" }] },
        "validation_failed",
        "files.0.data",
      ],
      [
        { text: "hi", files: [{ name: "m.parquet", data: "UEFSMQ==", text: "x" }] },
        "validation_failed",
        "files.0",
      ],
    ];
    for (const [body, error, field] of cases) {
      const response = await api.call("POST", `/sessions/${session}/messages`, { body });
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(await response.json()).toMatchObject({ error, field });
    }
    // Nothing ran, nothing was kept.
    expect(await api.service.runs(`http:${session}`)).toEqual([]);
    for (const [method, path, body] of [
      ["POST", "/sessions/thread_nope/messages", { text: "hi" }],
      ["GET", "/sessions/thread_nope/checkpoints"],
      ["POST", "/sessions/thread_nope/rewind", { turns: 1 }],
      ["GET", "/sessions/thread_nope/runs"],
      ["GET", `/sessions/${session}/runs/run_nope/events`],
      ["GET", "/approvals?session=thread_nope"],
      ["POST", "/approvals/apr_nope", { decision: "approve" }],
    ] as const) {
      const response = await api.call(method, path, body ? { body } : {});
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toMatchObject({ error: "not_found" });
    }
    const noSession = await api.call("GET", "/approvals");
    expect(noSession.status).toBe(400);
    expect(await noSession.json()).toMatchObject({ field: "session" });
  });

  it("passes attached text files to the agents", async () => {
    const session = await openSession(api);
    const answered = await message(session, {
      text: "analyze the data in the file",
      files: [{ name: "sales.csv", mime_type: "text/csv", text: "quarter,sales\nQ1,10\nQ2,14\n" }],
    });
    expect(answered.status).toBe(200);
    const prompts = api.llm.calls.filter((call) => call.purpose.startsWith("agent:"));
    expect(prompts.some((call) => JSON.stringify(call.messages).includes("Q2,14"))).toBe(true);
  });

  it("lists checkpoints newest first in pages, and rewinds by turns or to a checkpoint", async () => {
    const session = await openSession(api);
    for (const text of ["search one", "search two", "search three"])
      expect((await message(session, { text })).status).toBe(200);

    const first = (await (await api.call("GET", `/sessions/${session}/checkpoints?limit=3`)).json()) as {
      checkpoints: { checkpoint_id: string; created_at: string; turns: number }[];
      total: number;
      next_before: string | null;
    };
    expect(first.checkpoints).toHaveLength(3);
    expect(first.total).toBeGreaterThan(6);
    expect(first.checkpoints[0]?.turns).toBe(3);
    const second = (await (
      await api.call("GET", `/sessions/${session}/checkpoints?limit=3&before=${first.next_before}`)
    ).json()) as typeof first;
    expect(second.checkpoints).toHaveLength(3);
    const ids = [...first.checkpoints, ...second.checkpoints].map((c) => c.checkpoint_id);
    expect(new Set(ids).size).toBe(6);
    const times = [...first.checkpoints, ...second.checkpoints].map((c) => c.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    const rest = (await (
      await api.call("GET", `/sessions/${session}/checkpoints?limit=100`)
    ).json()) as typeof first;
    expect(rest.checkpoints).toHaveLength(rest.total);
    expect(rest.next_before).toBeNull();

    for (const [body, field] of [
      [{}, "body"],
      [{ turns: 0 }, "turns"],
      [{ turns: "one" }, "turns"],
      [{ turns: 1, checkpoint_id: "x" }, "body"],
    ] as const) {
      const response = await api.call("POST", `/sessions/${session}/rewind`, { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: "validation_failed", field });
    }
    const tooFar = await api.call("POST", `/sessions/${session}/rewind`, { body: { turns: 9 } });
    expect(tooFar.status).toBe(409);
    expect(await tooFar.json()).toMatchObject({ error: "nothing_to_rewind" });
    const unknown = await api.call("POST", `/sessions/${session}/rewind`, {
      body: { checkpoint_id: "nope" },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "checkpoint_not_found" });

    const back = await api.call("POST", `/sessions/${session}/rewind`, { body: { turns: 1 } });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ turns: 2 });
    const oldest = rest.checkpoints.find((c) => c.turns === 1) as { checkpoint_id: string };
    const fork = await api.call("POST", `/sessions/${session}/rewind`, {
      body: { checkpoint_id: oldest.checkpoint_id },
    });
    expect(fork.status).toBe(200);
    expect(await fork.json()).toMatchObject({ turns: 1 });
    expect((await (await api.call("GET", `/sessions/${session}`)).json()) as { turns: number }).toMatchObject(
      {
        turns: 1,
      },
    );
  });
});
