import { describe, expect, it } from "vitest";
import type {
  ConversationApi,
  ConversationSession,
  EventStream,
  SendInput,
  ThreadHistory,
} from "../../src/conversations/types.js";
import { answerCommand, type CommandPlace } from "../../src/delivery/index.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { type FakeMessage, FakeSink, fakeDelivery, streamOf } from "./fakes.js";

function place(over: Partial<CommandPlace<FakeMessage>> = {}) {
  const replies: string[] = [];
  const direct: string[] = [];
  const sink = new FakeSink();
  const p: CommandPlace<FakeMessage> = {
    user: "U1",
    commandName: "/octo",
    threadKeyPrefix: "slack:T1:C1:",
    reply: async (message) => void replies.push(message.what),
    replyToCommand: async (message) => void direct.push(message.what),
    openThread: async (root) => {
      await sink.post(root);
      return { sink, threadKey: "slack:T1:C1:9.9" };
    },
    cannotPostHere: (error) => (error as { code?: string }).code === "not_in_channel",
    ...over,
  };
  return { p, replies, direct, sink };
}

const notice = (value: unknown) => `notice ${JSON.stringify(value)}`;
const session = (threadKey: string, title: string) =>
  ({ threadKey, title, locale: "en" }) as ConversationSession;

describe("command answers", () => {
  it("start a request in a thread of its own, opened with the request", async () => {
    const sent: SendInput[] = [];
    const ctx = fakeDelivery({
      send: (input): EventStream => {
        sent.push(input);
        return streamOf([]);
      },
    });
    const { p, sink } = place();
    await answerCommand(ctx, p, { kind: "run", format: "graph", request: "map it" }, "en");
    expect(sink.posts()[0]).toBe(notice({ kind: "request", user: "U1", format: "graph", request: "map it" }));
    expect(sent).toMatchObject([
      { platform: "slack", threadKey: "slack:T1:C1:9.9", user: "U1", text: "map it", format: "graph" },
    ]);
  });

  it("say through the command itself when the bot may not post in the place", async () => {
    const { p, direct, replies } = place({
      openThread: async () => {
        throw Object.assign(new Error("no"), { code: "not_in_channel" });
      },
    });
    await answerCommand(fakeDelivery({}), p, { kind: "run", format: undefined, request: "x" }, "en");
    expect(direct).toEqual([notice({ kind: "not_in_channel" })]);
    expect(replies).toEqual([]);
  });

  it("hand the run a message of the new thread that is to show its progress, and a platform's own refusal", async () => {
    const sent: SendInput[] = [];
    const ctx = fakeDelivery({
      send: (input): EventStream => {
        sent.push(input);
        return streamOf([]);
      },
    });
    const { p } = place({
      openThread: async () => ({ sink: new FakeSink(), threadKey: "slack:T1:C1:9.9", progressCard: "m0" }),
    });
    await answerCommand(ctx, p, { kind: "run", format: undefined, request: "x" }, "en");
    expect(sent[0]?.progressCard).toBe("m0");

    const permissions = { kind: "missing_permissions", permissions: "Create Public Threads" } as const;
    const refused = place({
      openThread: async () => {
        throw Object.assign(new Error("no"), { code: "not_in_channel" });
      },
      cannotPostNotice: permissions,
    });
    await answerCommand(ctx, refused.p, { kind: "run", format: undefined, request: "x" }, "en");
    expect(refused.direct).toEqual([notice(permissions)]);
  });

  it("act on the person's latest conversation in this place only, and say when there is none", async () => {
    const forgotten: string[] = [];
    const ctx = fakeDelivery({
      sessions: async () => [
        session("slack:T1:C2:1.0", "elsewhere"),
        session("slack:T1:C1:2.0", "manta rays"),
      ],
      history: async (threadKey) =>
        ({
          threadKey,
          session: { title: "manta rays", status: "idle" },
          // One page of a longer conversation: the reply counts what is not on it too.
          turns: [{ index: 42, request: "search for manta rays" }],
          turnCount: 42,
          checkpoints: [],
          checkpointCount: 80,
          pendingApprovals: [],
        }) as unknown as ThreadHistory,
      rewind: async (_key, target) => {
        if ("turns" in target && target.turns > 1)
          throw new OctoError("nothing_to_rewind", "too far", { params: { turns: 1 } });
        return { threadKey: "k", checkpointId: "c", turns: 0 };
      },
      forget: async (threadKey) => {
        forgotten.push(threadKey);
        return true;
      },
    } satisfies Partial<ConversationApi>);
    const { p, replies } = place();
    await answerCommand(ctx, p, { kind: "history" }, "en");
    await answerCommand(ctx, p, { kind: "rewind", turns: 5 }, "en");
    await answerCommand(ctx, p, { kind: "rewind", turns: 1 }, "en");
    await answerCommand(ctx, p, { kind: "forget" }, "en");
    expect(replies[0]).toBe(
      notice({
        kind: "history",
        history: {
          title: "manta rays",
          status: "idle",
          turnCount: 42,
          turns: [{ index: 42, request: "search for manta rays" }],
          pending: [],
          checkpoints: 80,
        },
        command: "/octo",
      }),
    );
    expect(replies[1]).toContain("only 1 turn");
    expect(replies[2]).toBe(notice({ kind: "rewound", turns: 1, remaining: 0 }));
    expect(replies[3]).toBe(notice({ kind: "forgotten", title: "manta rays" }));
    expect(forgotten).toEqual(["slack:T1:C1:2.0"]);

    const empty = fakeDelivery({ sessions: async () => [session("slack:T1:C2:1.0", "elsewhere")] });
    const other = place();
    await answerCommand(empty, other.p, { kind: "history" }, "en");
    await answerCommand(empty, other.p, { kind: "forget" }, "en");
    expect(other.replies).toEqual([
      notice({ kind: "no_conversation" }),
      notice({ kind: "nothing_to_forget" }),
    ]);
  });
});
