import { LlamaChat, type LlamaContextSequence } from "node-llama-cpp";
import { loadConfig } from "../src/config.js";
import { CachedLlm, LlmCacheStore } from "../src/llm/cache.js";
import { LocalLlm } from "../src/llm/local/llm.js";
import { toChatHistory } from "../src/llm/local/prompt.js";
import { LocalRuntime } from "../src/llm/local/runtime.js";
import { ensureLocalModel } from "../src/llm/model/fetch.js";
import { stderrProgressBar } from "../src/llm/model/progress.js";
import type { LlmMessage, LlmUsage } from "../src/llm/types.js";
import { openTestStore } from "../test/support/databases.js";
import { type Figures, figure, percentile, table } from "./stats.js";

/**
 * Issue 4's benchmark of the embedded model: tokens per second and time to first token through
 * `src/llm` next to bare node-llama-cpp on the same prompts in the same process (target ratio >= 0.9),
 * the latency of a cache hit on PGlite and Postgres, and the process RSS after the model is loaded.
 * Rounds alternate which side goes first so neither always meets a warm CPU cache.
 */
const ROUNDS = 6;
const MAX_TOKENS = 96;
const QUESTIONS = [
  "Write a paragraph of five sentences about how a bicycle works.",
  "Write a paragraph of five sentences explaining why the sky is blue.",
  "Write a paragraph of five sentences about the benefits of regular exercise.",
  "Write a paragraph of five sentences describing the water cycle.",
  "Write a paragraph of five sentences about why Earth has seasons.",
  "Write a paragraph of five sentences about how a refrigerator works.",
];

interface Sample {
  ttftMs: number;
  totalMs: number;
  tokens: number;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const median = (values: number[]) => percentile(values, 50);
const rate = (samples: Sample[]) => median(samples.map((s) => s.tokens / (s.totalMs / 1000)));

export default async function bench(): Promise<Figures> {
  const figures: Figures = {};
  const config = loadConfig({ ...process.env, OCTO_LOG_LEVEL: "silent" });
  const bar = stderrProgressBar();
  const file = await ensureLocalModel(config, { onProgress: bar.onProgress }).finally(() => bar.stop());
  const rssBefore = process.memoryUsage().rss;
  const loadStarted = Date.now();
  const runtime = await LocalRuntime.load({
    modelPath: file.path,
    contextSize: config.OCTO_LOCAL_CONTEXT,
    parallel: config.OCTO_LOCAL_PARALLEL,
    threads: config.OCTO_LOCAL_THREADS,
    gpu: config.OCTO_LOCAL_GPU,
  });
  const loadMs = Date.now() - loadStarted;
  const rssLoaded = process.memoryUsage().rss;
  const llm = new LocalLlm(runtime, { timeoutMs: 300_000 });

  // The bare side: its own context on the same loaded weights, same threads, chat wrapper and layout.
  const bareContext = await runtime.model.createContext({
    contextSize: runtime.context.contextSize,
    sequences: 1,
    threads: runtime.context.currentThreads,
  });
  const bareSequence = bareContext.getSequence();

  const ours: Sample[] = [];
  const bare: Sample[] = [];
  try {
    for (let round = -1; round < ROUNDS; round += 1) {
      const question = QUESTIONS[(round + 1) % QUESTIONS.length] as string;
      const messages: LlmMessage[] = [{ role: "user", content: question }];
      const sides = [
        () => throughLlm(llm, messages),
        () => throughBare(runtime, bareSequence, messages),
      ] as const;
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const side of order) {
        const sample = await sides[side as 0 | 1]();
        if (round >= 0) (side === 0 ? ours : bare).push(sample);
      }
    }
    const ratio = rate(ours) / rate(bare);
    table(`local model ${runtime.name} (${file.source}, threads ${runtime.context.currentThreads})`, [
      ["load time", `${loadMs} ms`],
      ["RSS before load / after load", `${mb(rssBefore)} / ${mb(rssLoaded)}`],
      ["tokens/s via src/llm (median)", rate(ours).toFixed(1)],
      ["tokens/s bare node-llama-cpp (median)", rate(bare).toFixed(1)],
      ["ratio src/llm / bare", `${ratio.toFixed(2)} (target >= 0.90${ratio >= 0.9 ? ", met" : ", NOT met"})`],
      ["time to first token via src/llm (median)", `${median(ours.map((s) => s.ttftMs))} ms`],
      ["time to first token bare (median)", `${median(bare.map((s) => s.ttftMs))} ms`],
      [
        "tokens per answer (median)",
        `${median(ours.map((s) => s.tokens))} / ${median(bare.map((s) => s.tokens))}`,
      ],
    ]);
    figures["model tokens/s via src/llm"] = figure(rate(ours), "tokens/s");
    figures["model tokens/s, src/llm / bare node-llama-cpp"] = figure(ratio, "x", { target: ">= 0.9" });
    figures["RSS after model load"] = figure(rssLoaded / 2 ** 20, "MiB", {
      note: `${(rssBefore / 2 ** 20).toFixed(0)} MiB before`,
    });

    for (const kind of ["pglite", "postgres"] as const) {
      const store = await openTestStore(kind);
      try {
        const cached = new CachedLlm(llm, new LlmCacheStore(store.db, 3600));
        const messages: LlmMessage[] = [{ role: "user", content: "Name three primary colours." }];
        await cached.chat(messages, { purpose: "bench", maxTokens: 32 });
        const hits: number[] = [];
        for (let i = 0; i < 50; i += 1) {
          const started = performance.now();
          await cached.chat(messages, { purpose: "bench", maxTokens: 32 });
          hits.push(performance.now() - started);
        }
        figures[`LLM cache hit p50, ${store.kind}`] = figure(percentile(hits, 50), "ms");
        table(`cache hit on ${store.kind === "postgres" ? "Postgres" : "PGlite"} (50 hits)`, [
          ["p50", `${percentile(hits, 50).toFixed(2)} ms`],
          ["p95", `${percentile(hits, 95).toFixed(2)} ms`],
        ]);
      } finally {
        await store.destroy();
      }
    }
  } finally {
    await bareContext.dispose();
    await llm.close();
  }
  return figures;
}

async function throughLlm(llm: LocalLlm, messages: LlmMessage[]): Promise<Sample> {
  const started = performance.now();
  let first = 0;
  let usage: LlmUsage | undefined;
  await llm.chat(messages, {
    purpose: "bench",
    maxTokens: MAX_TOKENS,
    temperature: 0,
    onToken: () => {
      first ||= performance.now() - started;
    },
    onUsage: (u) => {
      usage = u;
    },
  });
  return {
    ttftMs: Math.round(first),
    totalMs: performance.now() - started,
    tokens: usage?.outputTokens ?? 0,
  };
}

async function throughBare(
  runtime: LocalRuntime,
  sequence: LlamaContextSequence,
  messages: LlmMessage[],
): Promise<Sample> {
  const started = performance.now();
  let first = 0;
  const history = toChatHistory(messages, { primed: runtime.style.primed, json: false });
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: runtime.style.wrapper });
  const before = sequence.tokenMeter.getState();
  try {
    await chat.generateResponse(history, {
      maxTokens: MAX_TOKENS,
      temperature: 0,
      repeatPenalty: { penalty: 1.15, frequencyPenalty: 0.1 },
      onTextChunk: () => {
        first ||= performance.now() - started;
      },
    });
  } finally {
    chat.dispose({ disposeSequence: false });
  }
  const tokens = sequence.tokenMeter.diff(before).usedOutputTokens;
  return { ttftMs: Math.round(first), totalMs: performance.now() - started, tokens };
}
