import path from "node:path";
import { Semaphore } from "async-mutex";
import {
  getLlama,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  LlamaLogLevel,
  type LlamaModel,
} from "node-llama-cpp";
import type { Logger } from "../../log.js";
import { type PromptStyle, promptStyleFor } from "./prompt.js";

export interface LocalRuntimeOptions {
  modelPath: string;
  /** Tokens per sequence. */
  contextSize: number;
  /** Sequences in the context: how many calls generate at once; more wait in line. */
  parallel: number;
  /** 0: one fewer than the cores llama.cpp can use (at least one), leaving a core for the rest. */
  threads: number;
  gpu: boolean;
  logger?: Logger | undefined;
}

/**
 * The loaded model: one llama.cpp instance, one context kept for the life of the process, and a
 * pool of its sequences. A sequence keeps its evaluated tokens between calls, so a prompt that starts
 * like the previous one (same system text) is not evaluated again.
 */
export class LocalRuntime {
  readonly name: string;
  readonly style: PromptStyle;
  private readonly free: LlamaContextSequence[];
  private readonly slots: Semaphore;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly options: LocalRuntimeOptions,
  ) {
    this.free = Array.from({ length: options.parallel }, () => context.getSequence());
    this.slots = new Semaphore(options.parallel);
    this.style = promptStyleFor(model);
    const general = model.fileInfo.metadata?.general;
    this.name = general?.name ?? path.basename(options.modelPath, ".gguf");
  }

  static async load(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const llama = await getLlama({
      gpu: options.gpu ? "auto" : false,
      logLevel: LlamaLogLevel.error,
      logger: (level, message) => {
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) {
          options.logger?.warn({ llama: message.trim() }, "llama.cpp");
        }
      },
    });
    const model = await llama.loadModel({ modelPath: options.modelPath });
    try {
      // llama.cpp's workers spin while they wait, so they must never outnumber the cores left free:
      // on 2 busy cores, 2 threads gave 3 tokens/s and 1 thread 20-46 (the default, 4, took minutes).
      const threads = options.threads > 0 ? options.threads : Math.max(1, llama.cpuMathCores - 1);
      const context = await model.createContext({
        contextSize: Math.min(options.contextSize, model.trainContextSize),
        sequences: options.parallel,
        threads,
      });
      return new LocalRuntime(llama, model, context, options);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Runs `work` on a free sequence, waiting for one when all are busy (abortable while waiting). */
  async withSequence<T>(signal: AbortSignal, work: (sequence: LlamaContextSequence) => Promise<T>) {
    const acquired = this.slots.acquire();
    const release = await raceAbort(acquired, signal);
    const sequence = this.free.pop();
    if (!sequence) {
      release();
      throw new Error("local model: no free sequence although a slot was granted");
    }
    try {
      return await work(sequence);
    } finally {
      this.free.push(sequence);
      release();
    }
  }

  /** Grammars are compiled once per schema. */
  grammar(hash: string, create: (llama: Llama) => Promise<LlamaGrammar>): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(hash);
    if (!grammar) {
      grammar = create(this.llama);
      grammar.catch(() => this.grammars.delete(hash));
      this.grammars.set(hash, grammar);
    }
    return grammar;
  }

  /** Whether the model and its context are still loaded (not disposed by close() or by llama.cpp). */
  get loaded(): boolean {
    return !this.model.disposed && !this.context.disposed;
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}

/** Resolves with the semaphore's release; if the signal fires first, gives the slot back later. */
async function raceAbort(acquired: Promise<[number, () => void]>, signal: AbortSignal): Promise<() => void> {
  if (signal.aborted) {
    void acquired.then(([, release]) => release());
    throw signal.reason;
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      void acquired.then(([, release]) => release());
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    void acquired.then(([, release]) => {
      if (signal.aborted) return;
      signal.removeEventListener("abort", onAbort);
      resolve(release);
    });
  });
}
