import {
  type ConversationApi,
  type EventStream,
  type Platform,
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
    send: (input, options) => wrap(api.send(input, options)),
    decide: (approvalId, input, options) => wrap(api.decide(approvalId, input, options)),
    retry: (retryId, input, options) => wrap(api.retry(retryId, input, options)),
    deliverTo: (platform, deliverer) =>
      api.deliverTo(platform, (run) => deliverer({ ...run, events: wrap(run.events) })),
    start: () => api.start(),
    idle: (threadKey) => api.idle(threadKey),
    history: (threadKey, page) => api.history(threadKey, page),
    pendingApprovals: (threadKey) => api.pendingApprovals(threadKey),
    rewind: (threadKey, target) => api.rewind(threadKey, target),
    sessions: (user, options) => api.sessions(user, options),
    createSession: (input) => api.createSession(input),
    updateSession: (threadKey, changes) => api.updateSession(threadKey, changes),
    checkpoints: (threadKey, query) => api.checkpoints(threadKey, query),
    session: (threadKey) => api.session(threadKey),
    rateRun: (runId, input) => api.rateRun(runId, input),
    forget: (threadKey) => api.forget(threadKey),
    approval: (approvalId) => api.approval(approvalId),
    runEvents: (runId, query) => api.runEvents(runId, query),
    followRun: (runId, options) => api.followRun(runId, options),
    run: (runId) => api.run(runId),
    runs: (threadKey, options) => api.runs(threadKey, options),
    localeOf: (threadKey) => api.localeOf(threadKey),
    close: (graceMs) => api.close(graceMs),
  };
}

/** A run a deliverer was handed, with its events read to the end. */
export interface DeliveredRun {
  threadKey: string;
  runId: string;
  user: string;
  kind: string;
  events: RunEvent[];
}

/**
 * Starts the service with a deliverer for `platform` and waits until the work it took over (runs cut
 * short) or that was submitted through it has been delivered: the runs nobody followed, in order.
 */
export async function deliveredRuns(
  service: Pick<ConversationApi, "deliverTo" | "start" | "idle">,
  platform: Platform,
): Promise<DeliveredRun[]> {
  const runs: DeliveredRun[] = [];
  service.deliverTo(platform, async (run) => {
    runs.push({ ...run, events: await collectEvents(run.events) });
  });
  await service.start();
  await service.idle();
  return runs;
}
