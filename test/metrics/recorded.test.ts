import { describe, expect, it } from "vitest";
import { MeteredLlm } from "../../src/llm/metered.js";
import { ScriptedLlm } from "../../src/llm/scripted.js";
import { createMetrics, type OctoMetrics } from "../../src/metrics/index.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { ofType, planOf, send, serviceFixture } from "../conversations/support.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { testQueue } from "../support/service.js";

/** One sample of the scrape, by its exact label set; undefined when there is none. */
async function sample(metrics: OctoMetrics, name: string, labels: Record<string, string> = {}) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const wanted = Object.entries(labels);
  const found = (metric?.values ?? []).find(
    (value) =>
      Object.keys(value.labels).length === wanted.length &&
      wanted.every(([key, v]) => String(value.labels[key]) === v),
  );
  return found?.value;
}

/** A histogram's observation count for the labels. */
async function observed(metrics: OctoMetrics, name: string, labels: Record<string, string>) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const entries = Object.entries(labels);
  const count = (metric?.values ?? []).find(
    (value) =>
      (value as { metricName?: string }).metricName === `${name}_count` &&
      entries.every(([key, v]) => String(value.labels[key]) === v),
  );
  return count?.value;
}

describe.each(DATABASE_KINDS)("metrics recorded while conversations run on %s", (kind) => {
  const fixture = serviceFixture(kind);

  it("counts runs, steps, approvals, model calls and queue waits of a scripted session", async () => {
    let failIntent = false;
    let dataFails = false;
    const scripted = new ScriptedLlm({
      handlers: {
        intent: () => {
          if (failIntent) throw new OctoError("llm_invalid_output", "bad json");
          return { category: "search", summary: "s" };
        },
        plan: (call) =>
          String(call.context.request).includes("contract")
            ? planOf({ id: 1, agent: "contract", task: "draft NDA" })()
            : planOf({ id: 1, agent: "data", task: "tabulate" })(),
        "agent:data": () => {
          if (dataFails) throw new Error("data model crashed");
          return { result: "a table", confidence: 0.8 };
        },
      },
    });
    const store = fixture.store();
    const queue = testQueue(store);
    const metrics = createMetrics({
      feedback: () => store.feedback.countsByRating(),
      queueDepth: () => queue.backlog(),
    });
    const llm = new MeteredLlm(scripted, metrics);
    const { service } = fixture.make({ llm, metrics, queue, settings: { stepAttempts: 1 } });

    // Paused for approval, then approved: one run started, paused, then completed.
    const asked = await send(service, "draft an NDA contract", { threadKey: "console:m1" });
    const approvalId = ofType(asked, "approval_requested")[0]?.approval.approval_id as string;
    await collectEvents(service.decide(approvalId, { decision: "approve", by: "alice" }));
    // A step that fails on its only attempt: the run still completes.
    dataFails = true;
    await send(service, "tabulate this", { threadKey: "console:m2" });
    dataFails = false;
    // A run that fails outright, rolled back.
    failIntent = true;
    expect(ofType(await send(service, "tabulate that", { threadKey: "console:m3" }), "error")).toHaveLength(
      1,
    );
    failIntent = false;

    const run = { platform: "console", format: "chat" };
    expect(await sample(metrics, "octo_runs_started_total", run)).toBe(3);
    expect(await sample(metrics, "octo_runs_ended_total", { ...run, outcome: "paused" })).toBe(1);
    expect(await sample(metrics, "octo_runs_ended_total", { ...run, outcome: "completed" })).toBe(2);
    expect(await sample(metrics, "octo_runs_ended_total", { ...run, outcome: "failed" })).toBe(1);
    expect(
      await observed(metrics, "octo_step_duration_seconds", { agent: "contract", outcome: "completed" }),
    ).toBe(1);
    expect(await observed(metrics, "octo_step_duration_seconds", { agent: "data", outcome: "failed" })).toBe(
      1,
    );
    expect(await sample(metrics, "octo_approvals_requested_total", { agent: "contract" })).toBe(1);
    expect(await sample(metrics, "octo_approvals_decided_total", { decision: "approve" })).toBe(1);
    // Every model call was counted, the failed intent as an error; the scripted model reports tokens.
    const calls = scripted.calls.length;
    const ok = await sample(metrics, "octo_llm_calls_total", { provider: "scripted", outcome: "ok" });
    const failed = await sample(metrics, "octo_llm_calls_total", { provider: "scripted", outcome: "error" });
    expect(failed).toBeGreaterThanOrEqual(1);
    expect((ok ?? 0) + (failed ?? 0)).toBe(calls);
    expect(await observed(metrics, "octo_llm_latency_seconds", { provider: "scripted" })).toBe(calls);
    expect(
      await sample(metrics, "octo_llm_tokens_total", { provider: "scripted", kind: "prompt" }),
    ).toBeGreaterThan(0);
    // Four jobs (three turns, one decision) waited in the queue before they ran.
    expect(await observed(metrics, "octo_queue_wait_seconds", { kind: "turn" })).toBe(3);
    expect(await observed(metrics, "octo_queue_wait_seconds", { kind: "decision" })).toBe(1);
    expect(await sample(metrics, "octo_queue_depth")).toBe(0);

    // The scrape never names a thread, a user or a run.
    const text = await metrics.metrics();
    expect(text).not.toMatch(/console:m|alice|run_|apr_/);
  });

  it("counts approvals that expired", async () => {
    const metrics = createMetrics({ feedback: async () => [] });
    const { service } = fixture.make({ metrics, settings: { approvalTtlSeconds: 0 } });
    await send(service, "draft an NDA contract", { threadKey: "console:e" });
    await send(service, "hello again", { threadKey: "console:e" });
    expect(await sample(metrics, "octo_approvals_expired_total")).toBe(1);
  });
});
