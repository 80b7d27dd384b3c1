import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface RunOptions {
  dataDir: string;
  env?: Record<string, string>;
  /** Written to stdin at once; stdin is then closed unless `keepOpen`. */
  input?: string;
  keepOpen?: boolean;
  timeoutMs?: number;
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
}

/** Environment for a child that cannot reach any real platform, model or database by accident. */
function childEnv(options: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SLACK_|DISCORD_|OPENAI_|OCTO_|POSTGRES_URL)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, OCTO_LLM: "scripted", OCTO_DATA_DIR: options.dataDir, NO_COLOR: "1", ...options.env };
}

/** Spawns `npm start -- …args` exactly as a user would, bounded in time. */
export function startOctostrator(args: string[], options: RunOptions): Running {
  const child = spawn("npm", ["start", "--silent", "--", ...args], {
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
  const watchers: { text: string; resolve: () => void }[] = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const watcher of watchers.filter((w) => out.includes(w.text))) {
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
        watchers.push({ text, resolve });
        setTimeout(
          () => reject(new Error(`timed out waiting for "${text}"; stdout so far:\n${out}\nstderr:\n${err}`)),
          timeoutMs,
        );
      });
    },
  };
}

export async function runOctostrator(args: string[], options: RunOptions) {
  const running = startOctostrator(args, options);
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}
