import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * One real bot process (`node --import tsx src/main.ts`, no npm in between so a signal reaches node
 * itself) in its own process group: kill -9 and SIGTERM land exactly where a container runtime's would,
 * and nothing it starts outlives the test. Its JSON log lines are kept for diagnostics and waits.
 */
export interface BotProcess {
  readonly label: string;
  readonly pid: number;
  readonly startedAt: number;
  /** Resolves when the process is gone (pipes closed), with how it ended and when. */
  readonly exited: Promise<BotExit>;
  readonly alive: boolean;
  stdout(): string;
  stderr(): string;
  /** Resolves when a log line matches `pattern`; rejects after `timeoutMs` or when the process exits. */
  waitForLog(pattern: string | RegExp, timeoutMs: number): Promise<void>;
  /** Signals the whole process group. */
  signal(name: NodeJS.Signals): void;
  /** SIGKILL to the group, then waits for the exit. */
  kill(): Promise<BotExit>;
}

export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** Never inherited: a developer's real tokens, model keys or database must not reach the child. */
const PRIVATE_ENV = /^(SLACK_|DISCORD_|OPENAI_|OCTO_|POSTGRES_URL|PG[A-Z]+$)/;

/** No bot outlives this, whatever the test does. */
const HARD_LIMIT_MS = 5 * 60_000;

export function spawnBot(label: string, env: Record<string, string>): BotProcess {
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!PRIVATE_ENV.test(key)) childEnv[key] = value;
  Object.assign(childEnv, { NO_COLOR: "1", OCTO_LLM: "scripted", OCTO_LOG_LEVEL: "info" }, env);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`bot ${label} did not start`);
  const startedAt = Date.now();
  let out = "";
  let err = "";
  let alive = true;
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const listener of [...listeners]) listener();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is already gone.
    }
  };
  const guard = setTimeout(() => signal("SIGKILL"), HARD_LIMIT_MS);
  guard.unref();
  const exited = new Promise<BotExit>((resolve) => {
    child.once("close", (code, exitSignal) => {
      alive = false;
      clearTimeout(guard);
      for (const listener of [...listeners]) listener();
      resolve({ code, signal: exitSignal, at: Date.now() });
    });
  });
  return {
    label,
    pid,
    startedAt,
    exited,
    get alive() {
      return alive;
    },
    stdout: () => out,
    stderr: () => err,
    waitForLog(pattern, timeoutMs) {
      const found = () => (typeof pattern === "string" ? out.includes(pattern) : pattern.test(out));
      if (found()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (found()) finish();
          else if (!alive) finish(new Error(`bot ${label} exited before logging ${String(pattern)}`));
        };
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(new Error(`${error.message}\nstdout:\n${out.slice(-4000)}\nstderr:\n${err}`));
          else resolve();
        };
        const timer = setTimeout(
          () => finish(new Error(`bot ${label} logged no ${String(pattern)} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        listeners.add(check);
      });
    },
    signal,
    async kill() {
      signal("SIGKILL");
      return exited;
    },
  };
}

/** The bots' warnings and errors (the last `lines` of each) and stderr tails, for a failure message. */
export function botLogs(bots: readonly BotProcess[], lines: number): string {
  return bots
    .map((bot) => {
      const bad = bot
        .stdout()
        .split("\n")
        .filter((line) => /"level":(40|50|60)/.test(line))
        .slice(-lines)
        .map((line) => line.slice(0, 400));
      const state = bot.alive ? "alive" : "exited";
      return [`--- bot ${bot.label} (pid ${bot.pid}, ${state}):`, ...bad, bot.stderr().slice(-1_000)].join(
        "\n",
      );
    })
    .join("\n");
}
