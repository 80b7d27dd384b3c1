import { Worker } from "node:worker_threads";
import { type CodeSandbox, type SandboxLimits, type SandboxRun, SandboxRunSchema } from "./types.js";

/**
 * The JavaScript sandbox on its own thread (quickjs-worker.mjs). Runs go one at a time, in order; the
 * thread and its WebAssembly module start on the first run and are reused by every later one (each
 * run gets a fresh QuickJS runtime there). The host keeps its own deadline a little past the
 * guest's: a thread stuck where the interrupt handler cannot reach is terminated and started afresh.
 */

/** Past the guest's deadline, how long the host waits before it stops the thread itself. */
const HOST_GRACE_MS = 2_000;
/** The thread's own V8 heap: console lines and messages, not the code's memory (that is WebAssembly). */
const WORKER_HEAP_MB = 96;

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  timeoutMs: 5_000,
  memoryBytes: 64 * 1024 * 1024,
  outputBytes: 64 * 1024,
};

interface Pending {
  resolve: (run: SandboxRun) => void;
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

function failed(kind: NonNullable<SandboxRun["error"]>["kind"], message: string, durationMs = 0): SandboxRun {
  return { ok: false, output: "", outputTruncated: false, error: { kind, message }, durationMs };
}

export class QuickJsSandbox implements CodeSandbox {
  readonly limits: SandboxLimits;
  private thread: Thread | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(limits: Partial<SandboxLimits> = {}) {
    this.limits = { ...DEFAULT_SANDBOX_LIMITS, ...limits };
  }

  run(code: string, options: { input?: unknown; signal?: AbortSignal } = {}): Promise<SandboxRun> {
    const next = this.queue.then(() => this.dispatch(code, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop("closed");
  }

  private start(): Thread {
    const worker = new Worker(new URL("./quickjs-worker.mjs", import.meta.url), {
      workerData: { memoryBytes: this.limits.memoryBytes },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, stackSizeMb: 4 },
    });
    // An idle sandbox must not keep the process alive.
    worker.unref();
    const pending = new Map<number, Pending>();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the sandbox thread exited (${code}) while starting`)));
    });
    const thread: Thread = { worker, ready, pending };
    worker.on("message", (message: { id?: number; result?: unknown; recycle?: boolean }) => {
      if (message.id === undefined) return;
      // The thread is ending after this result: later runs go to a new one.
      if (message.recycle && this.thread === thread) this.thread = undefined;
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      const parsed = SandboxRunSchema.safeParse(message.result);
      waiting.resolve(
        parsed.success ? parsed.data : failed("crashed", "the sandbox sent an unreadable result"),
      );
    });
    const lost = (reason: string) => {
      if (this.thread === thread) this.thread = undefined;
      for (const waiting of pending.values()) waiting.resolve(failed("crashed", reason));
      pending.clear();
    };
    worker.on("error", (error) => lost(`the sandbox failed: ${error.message}`));
    worker.on("exit", (code) => lost(`the sandbox stopped (exit code ${code})`));
    return thread;
  }

  private async stop(reason: string): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    for (const waiting of thread.pending.values()) waiting.resolve(failed("aborted", reason));
    thread.pending.clear();
    await thread.worker.terminate();
  }

  private async dispatch(
    code: string,
    options: { input?: unknown; signal?: AbortSignal },
  ): Promise<SandboxRun> {
    if (this.closed) return failed("aborted", "the sandbox is closed");
    if (options.signal?.aborted) return failed("aborted", "the run was cancelled before it started");
    let input: string | undefined;
    if (options.input !== undefined) {
      try {
        input = JSON.stringify(options.input);
      } catch (error) {
        return failed("exception", `input is not JSON: ${(error as Error).message}`);
      }
    }
    this.thread ??= this.start();
    const thread = this.thread;
    try {
      await thread.ready;
    } catch (error) {
      if (this.thread === thread) this.thread = undefined;
      return failed("crashed", `the sandbox could not start: ${(error as Error).message}`);
    }
    const id = this.nextId++;
    const started = Date.now();
    return new Promise<SandboxRun>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (run: SandboxRun) => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        resolve(run);
      };
      const onAbort = () => {
        thread.pending.delete(id);
        settle(failed("aborted", "the run was cancelled", Date.now() - started));
        void this.stopThread(thread);
      };
      thread.pending.set(id, { resolve: settle });
      options.signal?.addEventListener("abort", onAbort, { once: true });
      timer = setTimeout(() => {
        thread.pending.delete(id);
        settle(
          failed(
            "timeout",
            `interrupted at the ${this.limits.timeoutMs} ms deadline (the sandbox was stopped)`,
            Date.now() - started,
          ),
        );
        void this.stopThread(thread);
      }, this.limits.timeoutMs + HOST_GRACE_MS);
      thread.worker.postMessage({
        id,
        code,
        input,
        timeoutMs: this.limits.timeoutMs,
        memoryBytes: this.limits.memoryBytes,
        outputBytes: this.limits.outputBytes,
      });
    });
  }

  private async stopThread(thread: Thread): Promise<void> {
    if (this.thread === thread) this.thread = undefined;
    await thread.worker.terminate();
  }
}
