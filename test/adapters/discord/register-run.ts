import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run discord:register` as the script itself, in a child process, with only these variables. */
export function runRegister(env: Record<string, string>): Promise<Run> {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(SLACK_|DISCORD_|OPENAI_|OCTO_|POSTGRES_URL)/.test(key)) base[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/discord-register.ts"], {
      cwd: root,
      env: { ...base, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (part: Buffer) => {
      stdout += part.toString();
    });
    child.stderr.on("data", (part: Buffer) => {
      stderr += part.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
