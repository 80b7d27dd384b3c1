import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface RunOptions {
  dataDir: string;
  /** Added to the child's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin at once; stdin is then closed unless `keepOpen`. */
  input?: string;
  keepOpen?: boolean;
  timeoutMs?: number;
  /**
   * Runs it on a real pseudo-terminal (util-linux `script`) of this size instead of pipes: stdin is then
   * typed keys, and stdout is what the terminal received (stdout and stderr together, escape codes too).
   */
  terminal?: { cols: number; rows: number };
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Signals the whole process group (npm, the shell, tsx, node), as a terminal's Ctrl-C does. */
  signal(name: NodeJS.Signals): void;
  /** Resolves when stdout contains `text` (rejects after the run's timeout). */
  waitFor(text: string): Promise<void>;
  /**
   * Resolves with the index after the first match of `pattern` in stdout at or after `from` (rejects
   * after `timeoutMs`, default 30 s).
   */
  waitForAfter(pattern: string | RegExp, from: number, timeoutMs?: number): Promise<number>;
  /** Writes to stdin (keys, on a terminal). */
  send(text: string): void;
}

function shellQuote(word: string): string {
  return /^[\w./=-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Environment for a child that cannot reach any real platform, model or database by accident. */
function childEnv(options: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SLACK_|DISCORD_|OPENAI_|OCTO_|POSTGRES_URL)/.test(key)) continue;
    env[key] = value;
  }
  const merged: NodeJS.ProcessEnv = {
    ...env,
    OCTO_LLM: "scripted",
    OCTO_DATA_DIR: options.dataDir,
    NO_COLOR: "1",
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Spawns `npm start -- …args` exactly as a user would, bounded in time. */
export function startOctostrator(args: string[], options: RunOptions): Running {
  const npm = ["npm", "start", "--silent", "--", ...args];
  const size = options.terminal;
  const [command, argv] = size
    ? [
        "script",
        [
          "-qfec",
          `stty cols ${size.cols} rows ${size.rows}; exec ${npm.map(shellQuote).join(" ")}`,
          "/dev/null",
        ],
      ]
    : ["npm", npm.slice(1)];
  const child = spawn(command, argv, {
    cwd: root,
    env: childEnv(options),
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, so a signal or a timeout reaches every process npm starts, never orphaning one.
    detached: true,
  });
  const signalGroup = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  let out = "";
  let err = "";
  const watchers: { found: () => boolean; resolve: () => void }[] = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const watcher of watchers.filter((w) => w.found())) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  if (options.input !== undefined) child.stdin?.write(options.input);
  if (!options.keepOpen) child.stdin?.end();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(() => signalGroup("SIGKILL"), timeoutMs);
  const exited = new Promise<number | null>((resolve) => {
    // "close", not "exit": npm may exit before the bot it started has finished writing and closed the pipes.
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    signal: signalGroup,
    waitFor(text) {
      if (out.includes(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        watchers.push({ found: () => out.includes(text), resolve });
        setTimeout(
          () => reject(new Error(`timed out waiting for "${text}"; stdout so far:\n${out}\nstderr:\n${err}`)),
          timeoutMs,
        );
      });
    },
    waitForAfter(pattern, from, waitMs = 30_000) {
      const end = () => {
        const rest = out.slice(from);
        if (typeof pattern === "string") {
          const at = rest.indexOf(pattern);
          return at < 0 ? undefined : from + at + pattern.length;
        }
        const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(rest);
        return match ? from + match.index + match[0].length : undefined;
      };
      const now = end();
      if (now !== undefined) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.splice(watchers.indexOf(watcher), 1);
          reject(
            new Error(
              `timed out waiting for ${String(pattern)}; output after ${from}:\n${JSON.stringify(out.slice(from))}`,
            ),
          );
        }, waitMs);
        const watcher = {
          found: () => end() !== undefined,
          resolve: () => {
            clearTimeout(timer);
            resolve(end() as number);
          },
        };
        watchers.push(watcher);
      });
    },
    send(text) {
      child.stdin?.write(text);
    },
  };
}

export async function runOctostrator(args: string[], options: RunOptions) {
  const running = startOctostrator(args, options);
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}
