import type { RunEvent } from "../../../conversations/events.js";
import type { RunLinkClaims } from "../../../delivery/index.js";
import type { Logger } from "../../../log.js";
import type { RunFeed } from "./feed.js";
import { SECURITY_HEADERS } from "./page.js";
import { emptyFold, foldRunEvent, type RunFold, runPageView } from "./run-view.js";

/**
 * A run's page state as Server-Sent Events: the state folded from everything logged so far, then a new
 * state for each event logged after, until the answer arrives (then the stream ends and the page stops
 * listening). Every message is the whole state, so a reconnect (the browser's own, with Last-Event-ID)
 * loses nothing: the first message after it is the state as it is then.
 */

export interface RunStreamOptions {
  feed: RunFeed;
  claims: RunLinkClaims;
  log: Logger;
  /** A comment line this often keeps proxies from closing a quiet stream (a run waiting for approval). */
  keepAliveMs: number;
  /** Told once, when the stream ends for any reason. */
  onClose: () => void;
}

/** How long the browser waits before reconnecting a dropped stream. */
const RETRY_MS = 3_000;

export interface RunStream {
  response: Response;
  /** Ends the stream (the viewer is stopping). */
  close(): void;
}

export function runStream(options: RunStreamOptions): RunStream {
  const { feed, claims, log } = options;
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let closed = false;
  let keepAlive: NodeJS.Timeout | undefined;

  const write = (text: string) => {
    if (!closed) controller?.enqueue(encoder.encode(text));
  };
  const send = (fold: RunFold) =>
    write(`id: ${fold.seq}\nevent: state\ndata: ${JSON.stringify(runPageView(fold))}\n\n`);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    abort.abort();
    try {
      controller?.close();
    } catch {
      // Already closed by the client going away.
    }
    options.onClose();
  };
  // Only this run of this thread: the token names both, and the log is read by run.
  const ours = (event: RunEvent) => event.runId === claims.runId && event.threadKey === claims.threadKey;

  const pump = async () => {
    write(`retry: ${RETRY_MS}\n\n`);
    let fold = emptyFold();
    const replay = await feed.snapshot(claims.runId);
    if (!replay.known) {
      // Forgotten with its conversation (or never run): said once, and the page stops listening.
      send({ ...fold, missing: true });
      return;
    }
    for (const logged of replay.events)
      if (ours(logged.event)) fold = foldRunEvent(fold, logged.seq, logged.event);
    send(fold);
    if (fold.result) return;
    for await (const logged of feed.follow(claims.runId, fold.seq, abort.signal)) {
      if (closed) return;
      if (logged.seq <= fold.seq || !ours(logged.event)) continue;
      fold = foldRunEvent(fold, logged.seq, logged.event);
      send(fold);
      if (fold.result) return;
    }
  };

  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      keepAlive = setInterval(() => write(": keepalive\n\n"), options.keepAliveMs);
      keepAlive.unref();
      pump()
        .catch((error: unknown) => {
          // The browser reconnects and starts again from the log; nothing is lost by ending here.
          if (!abort.signal.aborted) log.warn({ err: error, runId: claims.runId }, "run page stream failed");
        })
        .finally(close);
    },
    cancel() {
      close();
    },
  });

  const response = new Response(body, {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      // Proxies such as nginx buffer responses unless told not to; events must arrive as they happen.
      "x-accel-buffering": "no",
    },
  });
  return { response, close };
}
