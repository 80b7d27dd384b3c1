import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, type RunEvent } from "../../src/conversations/index.js";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { replan } from "../../src/supervisor/nodes/replan.js";
import { routeAfterSchedule } from "../../src/supervisor/nodes/schedule.js";
import type { PlanStep, StepResult } from "../../src/supervisor/types.js";
import { openTestStore, type TestStore } from "../support/databases.js";
import { createTestService } from "../support/service.js";
import { testState as state, testSupervisorDeps } from "./deps.js";

const turn = {
  run_id: "r",
  request: "Find NDA examples, then draft an NDA",
  format: "chat" as const,
  locale: "en" as const,
  requester: "alice",
  started_at: new Date().toISOString(),
  attachments: [],
};
const step = (id: number, agent: string, task: string, depends_on: number[] = []): PlanStep => ({
  id,
  agent,
  task,
  description: task,
  depends_on,
  needs_approval: agent === "contract",
  round: 0,
});
const outcome = (s: PlanStep, status: StepResult["status"], extra: Partial<StepResult> = {}): StepResult => ({
  step_id: s.id,
  agent: s.agent,
  task: s.task,
  description: s.description,
  depends_on: s.depends_on,
  status,
  result: status,
  confidence: 0,
  duration_ms: 0,
  attempts: 1,
  round: 0,
  ...extra,
});

describe("a step the person rejected", () => {
  const search = step(1, "search", "Find NDA examples");
  const draft = step(2, "contract", "Draft an NDA", [1]);
  const review = step(3, "contract", "Review the NDA", [2]);
  const rejected = outcome(draft, "skipped", {
    skip_reason: "rejected",
    approval: { approval_id: "a", decision: "reject", by: "alice" },
  });

  it("is no failure: with only it (and what needed it) unfinished, there is no replan", () => {
    const route = routeAfterSchedule({ maxReplans: 1 });
    const results = {
      1: outcome(search, "completed"),
      2: rejected,
      3: outcome(review, "skipped", { skip_reason: "dependency" }),
    };
    expect(route(state({ turn, plan: [search, draft, review], step_results: results }))).toBe("aggregator");
    const failed = { ...results, 1: outcome(search, "failed") };
    expect(route(state({ turn, plan: [search, draft, review], step_results: failed }))).toBe("planning");
  });

  it("is never planned again by a replan after another step failed", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        replan: () => ({
          steps: [
            { id: 4, agent: "contract", task: "Draft an NDA.", depends_on: [], needs_approval: false },
            { id: 5, agent: "search", task: "Find NDA examples", depends_on: [], needs_approval: false },
            { id: 6, agent: "web", task: "Read an NDA template site", depends_on: [], needs_approval: false },
          ],
        }),
      },
    });
    const other = step(4, "search", "Find more examples");
    const update = await replan(
      testSupervisorDeps(llm, { stepTimeoutMs: 1_000 }),
      state({
        turn,
        plan: [search, draft, other],
        step_results: { 1: outcome(search, "failed"), 2: rejected, 4: outcome(other, "completed") },
      }),
      undefined,
      () => {},
    );
    expect(update.plan?.slice(3).map((s) => [s.agent, s.task])).toEqual([
      ["web", "Read an NDA template site"],
    ]);
    expect(llm.calls[0]?.messages[1]?.content).toContain(
      "Step 2 (contract) was rejected by the person: do not propose it again.",
    );
    expect(llm.calls[0]?.context.rejected).toEqual([2]);
  });
});

describe("rejecting a step through the conversation service", () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore("pglite");
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("records it as skipped by the person, with no replan and no revision message", async () => {
    const { service, llm } = createTestService(store, {
      scripted: {
        handlers: {
          plan: () => ({
            steps: [
              { id: 1, agent: "search", task: "Find NDA examples", depends_on: [], needs_approval: false },
              { id: 2, agent: "contract", task: "Draft an NDA", depends_on: [1], needs_approval: false },
            ],
          }),
        },
      },
    });
    const send = (text: string) =>
      collect(service.send({ platform: "console", threadKey: "console:rej", user: "alice", text }));
    const first = await send("Find NDA examples, then draft an NDA");
    const request = first.find((e) => e.type === "approval_requested");
    const id = request?.type === "approval_requested" ? request.approval.approval_id : "";
    const events: RunEvent[] = await collect(service.decide(id, { decision: "reject", by: "alice" }));
    const statuses = [...first, ...events].flatMap((e) => (e.type === "status" ? [e.status] : []));
    expect(statuses).not.toContain("replanning");
    const messages = [...first, ...events].flatMap((e) => (e.type === "status" ? [e.message] : []));
    expect(messages.join("\n")).not.toContain("revising the plan");
    const result = events.find((e) => e.type === "result");
    expect(
      result?.type === "result" && result.result.step_results.map((s) => [s.agent, s.status, s.skip_reason]),
    ).toEqual([
      ["search", "completed", undefined],
      ["contract", "skipped", "rejected"],
    ]);
    expect(result?.type === "result" && result.result.aggregated_data.execution_summary.failed_steps).toBe(0);
    expect((llm as ScriptedLlm).calls.filter((c) => c.purpose === "replan")).toHaveLength(0);
    expect(events.filter((e) => e.type === "approval_requested")).toHaveLength(0);
    await service.close();
  });
});
