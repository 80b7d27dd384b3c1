import { describe, expect, it } from "vitest";
import type { ConversationSession } from "../../src/conversations/types.js";
import { deliverRun } from "../../src/delivery/index.js";
import { slack } from "../../src/renderers/index.js";
import { fixtureEvents } from "../renderers/fixtures.js";
import { FakeSink, fakeDelivery, streamOf } from "./fakes.js";

/** A thread with a status line and a title, as Slack's assistant threads have. */
class StatusSink extends FakeSink {
  readonly statuses: string[] = [];
  readonly titles: string[] = [];
  async setStatus(status: string): Promise<void> {
    this.statuses.push(status);
  }
  async setTitle(title: string): Promise<void> {
    this.titles.push(title);
  }
}

const session = (turns: number) => ({ title: "Draft an NDA", turns }) as ConversationSession;
const target = { threadKey: "slack:T1:D1:1.1", user: "U1", locale: "en" as const, cardAtOnce: true };

describe("thread status and title", () => {
  const withStatus = (turns: number) => {
    const ctx = fakeDelivery({ session: async () => session(turns) });
    return Object.assign(ctx, { renderer: { ...ctx.renderer, status: slack.renderAssistantStatus } });
  };

  it("follows the running steps, sends only changes, and clears once the run's stream ends", async () => {
    const sink = new StatusSink();
    await deliverRun(withStatus(0), sink, streamOf(fixtureEvents("en")), target);
    expect(sink.statuses.some((status) => status.startsWith("is running step"))).toBe(true);
    expect(sink.statuses.at(-1)).toBe("");
    expect(sink.statuses.filter((status, i) => status === sink.statuses[i - 1])).toEqual([]);
    expect(sink.titles).toEqual(["Draft an NDA"]);
  });

  it("clears the status when the run stops to wait for a person", async () => {
    const events = fixtureEvents("en");
    const paused = events.slice(0, events.findIndex((event) => event.type === "approval_requested") + 1);
    const sink = new StatusSink();
    await deliverRun(withStatus(1), sink, streamOf(paused), target);
    expect(sink.statuses.at(-1)).toBe("");
    // A conversation past its first turn keeps the title it has.
    expect(sink.titles).toEqual([]);
  });

  it("asks nothing of a thread without them", async () => {
    // fakeDelivery throws on a ConversationApi call it was not given: session is never asked for.
    const sink = new FakeSink();
    await deliverRun(fakeDelivery({}), sink, streamOf(fixtureEvents("en")), target);
    expect(sink.posts().some((what) => what.startsWith("answer"))).toBe(true);
  });
});
