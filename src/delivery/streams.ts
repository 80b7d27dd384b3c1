import type { RunEvent } from "../conversations/events.js";
import type { EventStream } from "../conversations/types.js";

/**
 * A run's first event decides how the rest is delivered (a refusal goes to one person, a run to the
 * thread), so flows read the head and hand the rest on as a stream again.
 */
export async function* prepend(head: RunEvent, rest: AsyncIterator<RunEvent>): AsyncGenerator<RunEvent> {
  yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** The events after the head, as a stream. */
export function streamOf(iterator: AsyncIterator<RunEvent>, head?: RunEvent): EventStream {
  return { [Symbol.asyncIterator]: () => (head ? prepend(head, iterator) : iterator) };
}

/** Reads a stream to its end, so the run it belongs to completes and saves its state. */
export async function drain(iterator: AsyncIterator<RunEvent>): Promise<void> {
  for (;;) if ((await iterator.next()).done) return;
}
