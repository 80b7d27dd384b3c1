import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lockDataDir } from "../../src/store/data-dir-lock.js";
import { isOctoError } from "../../src/vocabulary/index.js";

/**
 * A separate node process taking the lock. Flags: `portable` locks with the socket file only, `wait`
 * takes it only when told "go" on stdin (so several processes try within the same instant), `idle`
 * leaves nothing else to keep the process alive once it holds the lock. It holds until stdin ends.
 */
const HOLDER = `
import readline from "node:readline";
import { lockDataDir } from ${JSON.stringify(new URL("../../src/store/data-dir-lock.ts", import.meta.url).href)};
const [dir, flags = ""] = process.argv.slice(1);
const say = (message) => process.stdout.write(JSON.stringify(message) + "\\n");
const take = async () => {
  try {
    const lock = await lockDataDir(dir, { portable: flags.includes("portable") });
    say({ held: true });
    if (flags.includes("idle")) return;
    process.stdin.once("end", async () => { await lock.release(); process.exit(0); }).resume();
  } catch (error) {
    say({ held: false, code: error.code, message: error.message });
    process.exit(0);
  }
};
if (flags.includes("wait")) {
  const lines = readline.createInterface({ input: process.stdin });
  say({ ready: true });
  lines.once("line", () => { lines.close(); void take(); });
} else {
  void take();
}
`;

interface Message {
  ready?: boolean;
  held?: boolean;
  code?: string;
  message?: string;
}

interface Holder {
  child: ChildProcess;
  next(): Promise<Message>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

function startHolder(dir: string, flags = ""): Holder {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", HOLDER, dir, flags],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  children.push(child);
  const queue: Message[] = [];
  const waiting: ((message: Message) => void)[] = [];
  readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    const message = JSON.parse(line) as Message;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    next: () => {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return Promise.race([
        new Promise<Message>((resolve) => waiting.push(resolve)),
        exited.then((code) => Promise.reject(new Error(`holder exited (${code}) before answering`))),
      ]);
    },
  };
}

async function sigkill(holder: Holder): Promise<void> {
  process.kill(holder.child.pid as number, "SIGKILL");
  await holder.exited;
}

async function lockError(dir: string, options: { portable?: boolean } = {}): Promise<unknown> {
  return lockDataDir(dir, options).then(
    async (lock) => {
      await lock.release();
      return undefined;
    },
    (error: unknown) => error,
  );
}

describe("PGlite data directory lock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-lock-"));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, "SIGKILL");
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("is not blocked by a leftover octo.pid naming this very process (a restarted container: PID 1, same host)", async () => {
    await writeFile(path.join(dir, "octo.pid"), `${process.pid}@${os.hostname()}`);
    const lock = await lockDataDir(dir);
    await lock.release();
    expect(existsSync(path.join(dir, "octo.pid"))).toBe(false);
  });

  it("is not blocked by a leftover octo.pid written on another host", async () => {
    await writeFile(path.join(dir, "octo.pid"), "1@a-container-that-is-gone");
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it("refuses while another process holds it, and is free the moment that process is SIGKILLed", async () => {
    const holder = startHolder(dir);
    expect(await holder.next()).toEqual({ held: true });
    const error = await lockError(dir);
    expect(isOctoError(error, "store_locked")).toBe(true);
    expect((error as Error).message).toContain(`another Octostrator process (${holder.child.pid}@`);

    await sigkill(holder);
    const started = Date.now();
    const lock = await lockDataDir(dir);
    expect(Date.now() - started).toBeLessThan(1000);
    await lock.release();
  });

  it("lets exactly one of five processes starting together hold it, over a killed holder's leftovers", async () => {
    const killed = startHolder(dir);
    expect(await killed.next()).toEqual({ held: true });
    await sigkill(killed);
    expect(existsSync(path.join(dir, "octo.pid"))).toBe(true);

    const racers = Array.from({ length: 5 }, () => startHolder(dir, "wait"));
    for (const racer of racers) expect(await racer.next()).toEqual({ ready: true });
    for (const racer of racers) racer.child.stdin?.write("go\n");
    const answers = await Promise.all(racers.map((racer) => racer.next()));
    expect(answers.filter((answer) => answer.held)).toHaveLength(1);
    for (const answer of answers.filter((a) => !a.held)) expect(answer.code).toBe("store_locked");
    for (const racer of racers) racer.child.stdin?.end();
    expect(await Promise.all(racers.map((racer) => racer.exited))).toEqual([0, 0, 0, 0, 0]);
  });

  it("with the socket file only: lets one of five in, refuses a live holder, reclaims a dead one's socket", async () => {
    const racers = Array.from({ length: 5 }, () => startHolder(dir, "portable wait"));
    for (const racer of racers) expect(await racer.next()).toEqual({ ready: true });
    for (const racer of racers) racer.child.stdin?.write("go\n");
    const answers = await Promise.all(racers.map((racer) => racer.next()));
    expect(answers.filter((answer) => answer.held)).toHaveLength(1);
    const holder = racers[answers.findIndex((answer) => answer.held)] as Holder;
    for (const racer of racers) if (racer !== holder) racer.child.stdin?.end();

    expect(isOctoError(await lockError(dir, { portable: true }), "store_locked")).toBe(true);
    // The file is what stops a process in another network namespace, where the abstract name is unseen.
    expect(isOctoError(await lockError(dir), "store_locked")).toBe(true);

    await sigkill(holder);
    expect(existsSync(path.join(dir, "octo.sock"))).toBe(true);
    const lock = await lockDataDir(dir, { portable: true });
    await lock.release();
  });

  it("never keeps its process alive", async () => {
    const holder = startHolder(dir, "idle");
    expect(await holder.next()).toEqual({ held: true });
    expect(await holder.exited).toBe(0);
  });
});
