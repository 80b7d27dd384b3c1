import type { RunEvent } from "../../src/conversations/events.js";
import type { DeliveryLedger } from "../../src/conversations/index.js";
import type { ConversationApi, EventStream } from "../../src/conversations/types.js";
import {
  createDelivery,
  type Delivery,
  type ProgressStream,
  StreamRefused,
  type ThreadSink,
} from "../../src/delivery/index.js";
import { silentLogger } from "../../src/log.js";
import type {
  PlatformRenderer,
  RenderedFile,
  StreamRenderer,
  StreamUpdate,
} from "../../src/renderers/types.js";

/**
 * An in-memory platform for the delivery layer: a renderer whose messages say what they show, and a
 * sink that records every call and refuses what a test tells it to.
 */
export interface FakeMessage {
  what: string;
  rich: boolean;
}

export const fakeRenderer: PlatformRenderer<FakeMessage> = {
  progress: (state) =>
    msg(
      `progress ${state.error ? "failed" : state.finished ? "done" : "running"} ${state.steps.filter((s) => s.status === "completed").length}/${state.steps.length}`,
    ),
  approval: (card, _locale, decided) =>
    msg(`approval ${card.approval_id}${decided ? ` ${decided.decision} by ${decided.by}` : " open"}`),
  result: async (result) => ({
    messages: [msg(`answer ${result.request}`), msg("summary")],
    files: [
      { filename: "answer.md", mimeType: "text/markdown", data: Buffer.from(result.final_result.chat ?? "") },
    ],
  }),
  error: (event, _locale, options) =>
    msg(`error ${event.kind}${options?.retryId ? ` retry ${options.retryId}` : ""}`),
  help: (_locale, options) => msg(`help ${options?.commandName ?? ""}`),
  notice: (notice) => msg(`notice ${JSON.stringify(notice)}`, false),
  plain: (message) => (message.rich ? { what: message.what, rich: false } : undefined),
};

/** Tasks say their step and state; the answer streams its request and closes with a summary. */
export const fakeStreamRenderer: StreamRenderer<FakeMessage> = {
  progress: (state) => ({
    title: `plan ${state.steps.filter((s) => s.status === "completed").length}/${state.steps.length}`,
    tasks: state.steps.map((step) => ({
      id: String(step.id),
      title: `step ${step.id}`,
      status:
        step.status === "running" ? "in_progress" : step.status === "completed" ? "complete" : "pending",
    })),
  }),
  answer: async (_state, result) => ({
    update: {
      title: "plan done",
      tasks: result.plan.map((step) => ({
        id: String(step.id),
        title: `step ${step.id}`,
        status: "complete",
      })),
      markdown: `answer ${result.request}`,
    },
    closing: msg("closing"),
    followUps: [msg("more answer")],
    files: [{ filename: "answer.md", mimeType: "text/markdown", data: Buffer.from("") }],
  }),
};

function msg(what: string, rich = true): FakeMessage {
  return { what, rich };
}

export type SinkCall =
  | { op: "post"; id: string; what: string; rich: boolean }
  | { op: "open"; id: string; user: string; update: StreamUpdate }
  | { op: "append"; id: string; update: StreamUpdate }
  | { op: "stop"; id: string; update: StreamUpdate; closing: string | undefined }
  | { op: "update"; id: string; what: string }
  | { op: "private"; user: string; what: string }
  | { op: "upload"; files: string[] }
  | { op: "form"; approvalId: string };

export class FakeSink implements ThreadSink<FakeMessage> {
  readonly calls: SinkCall[] = [];
  /** Refuses rich posts whose text starts with this. */
  refuseRich: string | undefined;
  refusePlain = false;
  refuseUpload = false;
  private next = 0;

  async post(message: FakeMessage): Promise<string> {
    if (message.rich && this.refuseRich !== undefined && message.what.startsWith(this.refuseRich))
      throw Object.assign(new Error("refused"), { code: "invalid_blocks" });
    if (!message.rich && this.refusePlain) throw Object.assign(new Error("refused"), { code: "no_text" });
    const id = `m${++this.next}`;
    this.calls.push({ op: "post", id, what: message.what, rich: message.rich });
    return id;
  }

  async update(id: string, message: FakeMessage): Promise<void> {
    this.calls.push({ op: "update", id, what: message.what });
  }

  async postPrivately(user: string, message: FakeMessage): Promise<void> {
    this.calls.push({ op: "private", user, what: message.what });
  }

  async upload(files: readonly RenderedFile[]): Promise<void> {
    if (this.refuseUpload) throw Object.assign(new Error("refused"), { code: "file_too_big" });
    this.calls.push({ op: "upload", files: files.map((file) => file.filename) });
  }

  async openForm(form: { approvalId: string }): Promise<void> {
    this.calls.push({ op: "form", approvalId: form.approvalId });
  }

  posts(): string[] {
    return this.calls.flatMap((call) => (call.op === "post" ? [call.what] : []));
  }
}

/**
 * A sink that streams too. It refuses to open with `refuseOpen`, and fails the writes to a stream that
 * has `ended` (its id), or every append after the first `appendsBeforeFailing`.
 */
export class FakeStreamSink extends FakeSink {
  refuseOpen: string | undefined;
  appendsBeforeFailing = Number.POSITIVE_INFINITY;
  readonly ended = new Set<string>();
  private streams = 0;
  private appends = 0;

  async openProgressStream(user: string, first: StreamUpdate): Promise<ProgressStream<FakeMessage>> {
    if (this.refuseOpen) throw new StreamRefused(this.refuseOpen);
    const id = `s${++this.streams}`;
    this.calls.push({ op: "open", id, user, update: first });
    return this.progressStream(id);
  }

  progressStream(id: string): ProgressStream<FakeMessage> {
    return {
      messageId: id,
      append: async (update) => {
        if (this.ended.has(id) || this.appends++ >= this.appendsBeforeFailing)
          throw Object.assign(new Error("refused"), { code: "message_not_in_streaming_state" });
        this.calls.push({ op: "append", id, update });
      },
      stop: async (update, closing) => {
        if (this.ended.has(id))
          throw Object.assign(new Error("refused"), { code: "message_not_in_streaming_state" });
        this.calls.push({ op: "stop", id, update, closing: closing?.what });
      },
    };
  }

  streamCalls(): SinkCall[] {
    return this.calls.filter((call) => call.op === "open" || call.op === "append" || call.op === "stop");
  }
}

/** A delivery ledger in memory, shared by the deliveries of one test as the store is by processes. */
export function memoryLedger(items = new Map<string, Map<string, string>>()): DeliveryLedger & {
  items: Map<string, Map<string, string>>;
} {
  const of = (runId: string) => {
    const found = items.get(runId) ?? new Map<string, string>();
    items.set(runId, found);
    return found;
  };
  return {
    items,
    claimEvent: async () => true,
    hasConversation: async () => true,
    delivered: async (runId) => new Map(of(runId)),
    recordDelivery: async (runId, _thread, item, messageId) => {
      const run = of(runId);
      if (!run.get(item)) run.set(item, messageId);
    },
    claimDelivery: async (runId, _thread, item) => {
      const run = of(runId);
      if (run.has(item)) return false;
      run.set(item, "");
      return true;
    },
  };
}

export function streamOf(events: readonly RunEvent[]): EventStream {
  return {
    async *[Symbol.asyncIterator]() {
      for (const event of events) yield event;
    },
  };
}

/** The delivery layer over a fake service: methods a test does not give throw when called. */
export function fakeDelivery(
  conversations: Partial<ConversationApi>,
  options: {
    groups?: Record<string, string[]>;
    progressIntervalMs?: number;
    /** False: the platform has no group member lookup (Discord); membership comes with each click. */
    lookup?: boolean;
    /** The renderer streams too (with a sink that can). */
    stream?: boolean;
    ledger?: DeliveryLedger;
  } = {},
): Delivery<FakeMessage> {
  const unexpected = new Proxy(conversations, {
    get: (target, name) =>
      (target as Record<string | symbol, unknown>)[name] ??
      (() => {
        throw new Error(`unexpected call of ConversationApi.${String(name)}`);
      }),
  }) as ConversationApi;
  const groups = options.groups ?? {};
  return createDelivery({
    platform: "slack",
    platformName: "Test",
    conversations: unexpected,
    ledger: options.ledger ?? {
      claimEvent: async () => true,
      hasConversation: async () => true,
      delivered: async () => new Map(),
      recordDelivery: async () => {},
      claimDelivery: async () => true,
    },
    renderer: options.stream ? { ...fakeRenderer, stream: fakeStreamRenderer } : fakeRenderer,
    log: silentLogger(),
    approverGroups: Object.keys(groups),
    listGroupMembers: options.lookup === false ? undefined : async (group) => groups[group] ?? [],
    progressIntervalMs: options.progressIntervalMs ?? 0,
    errorCode: (error) => String((error as { code?: unknown }).code ?? "unknown"),
  });
}
