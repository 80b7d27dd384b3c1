import {
  type ConversationApi,
  type EventStream,
  type RunEvent,
  RunEventSchema,
} from "../../src/conversations/index.js";

/**
 * `RunEventSchema` is the contract between the service and every adapter: these helpers parse each
 * event the service emits, so a change that breaks the contract fails the test that saw it.
 */
export function checkedEvent(event: RunEvent): RunEvent {
  const parsed = RunEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new Error(`run event breaks RunEventSchema: ${parsed.error.message}\n${JSON.stringify(event)}`);
  }
  return event;
}

/** Drains a run's stream, checking every event against the contract. */
export async function collectEvents(stream: EventStream): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of stream) events.push(checkedEvent(event));
  return events;
}

async function* checkedStream(
  stream: EventStream,
  onBreak: (error: Error) => void,
): AsyncGenerator<RunEvent> {
  for await (const event of stream) {
    try {
      yield checkedEvent(event);
    } catch (error) {
      onBreak(error as Error);
      yield event;
    }
  }
}

/**
 * The service as an adapter sees it, with every streamed event checked. An adapter may swallow what
 * its stream throws, so breaks are also reported to `onBreak` for the harness to fail the test with.
 */
export function contractChecked<T extends ConversationApi>(
  api: T,
  onBreak: (error: Error) => void,
): ConversationApi {
  const wrap = (stream: EventStream): EventStream => ({
    [Symbol.asyncIterator]: () => checkedStream(stream, onBreak),
  });
  return {
    send: (input) => wrap(api.send(input)),
    decide: (approvalId, input) => wrap(api.decide(approvalId, input)),
    retry: (retryId, input) => wrap(api.retry(retryId, input)),
    resumeInterrupted: async (platform) =>
      (await api.resumeInterrupted(platform)).map((run) => ({ ...run, events: wrap(run.events) })),
    history: (threadKey, page) => api.history(threadKey, page),
    pendingApprovals: (threadKey) => api.pendingApprovals(threadKey),
    rewind: (threadKey, target) => api.rewind(threadKey, target),
    sessions: (user) => api.sessions(user),
    forget: (threadKey) => api.forget(threadKey),
    approval: (approvalId) => api.approval(approvalId),
    localeOf: (threadKey) => api.localeOf(threadKey),
    close: () => api.close(),
  };
}
