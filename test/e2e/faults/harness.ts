import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openStore } from "../../../src/store/index.js";
import { KnowledgeBase } from "../../../src/tools/kb/index.js";
import { type BuiltEvent, type EmulatedMessage, SlackEmulator } from "../../emulators/slack/index.js";
import { dropSchema, postgresUrl } from "../../support/databases.js";
import { type BotProcess, botLogs, spawnBot } from "./bot-process.js";
import {
  answeredTokens,
  auditThreads,
  type BotPost,
  botPosts,
  cardVersions,
  type SentRequest,
} from "./record.js";

/**
 * The fault tests' world: the Slack emulator in the test process, real bot processes in Socket Mode on
 * one database, and the requests sent so far. Each bot opens its own Socket Mode connection (its own
 * app-level token, labelled by the bot's label), and the emulator gives each envelope to ONE connection,
 * as Slack does. On the Postgres server all bots share one throw-away schema; without a server there is
 * one bot at a time on PGlite in a data directory a restarted bot reuses.
 */
export const CHANNEL = "C0GENERAL";
export const USER = "U0ALICE";

export interface HarnessOptions {
  /** Part of the schema and application names, so a leftover is easy to trace. */
  name: string;
  /** The scripted model's latency per call: how long a run takes (four calls for a one-step plan). */
  llmDelayMs: number;
  /**
   * Puts a page about kelp in the knowledge base before any bot starts, so "search for kelp" finds it
   * and its step waits for the model (a search that finds nothing answers at once, with no model call).
   */
  kelpPage?: boolean;
}

export type Database =
  | { kind: "postgres"; url: string; schema: string }
  | { kind: "pglite"; dataDir: string };

const KELP_PAGE = [
  {
    heading: "Kelp",
    text: "Kelp forests grow in cold, nutrient-rich coastal water. Our kelp survey runs every spring along the north shore, and the field team logs canopy cover, holdfast counts and water temperature at each transect.",
  },
];

/** The bots' own store, opened before they run (PGlite takes one process at a time) and closed again. */
async function ingestKelpPage(database: Database): Promise<void> {
  const store = await openStore(
    database.kind === "postgres"
      ? { postgresUrl: database.url, schema: database.schema, poolMax: 1 }
      : { dataDir: database.dataDir },
  );
  try {
    await new KnowledgeBase(store.knowledge).ingestSections("field-guide/kelp.md", "markdown", KELP_PAGE);
  } finally {
    await store.close();
  }
}

/** Upper bound for a bot's start (tsx compiles the sources) on a busy two-core machine. */
const START_MS = 45_000;

export class FaultHarness {
  readonly requests: SentRequest[] = [];
  /** Which bot's connection acknowledged each request's event (token -> label). */
  readonly ackedBy = new Map<string, string>();
  private readonly bots = new Map<string, BotProcess>();
  private readonly everyBot: BotProcess[] = [];
  private admin: pg.Client | undefined;
  private counter = 0;

  private constructor(
    readonly emulator: SlackEmulator,
    readonly database: Database,
    private readonly dir: string,
    private readonly options: HarnessOptions,
  ) {}

  static async start(options: HarnessOptions): Promise<FaultHarness> {
    const dir = await mkdtemp(path.join(os.tmpdir(), `octo-faults-${options.name}-`));
    await writeFile(path.join(dir, "script.json"), JSON.stringify({ delayMs: options.llmDelayMs }));
    const url = await postgresUrl();
    const database: Database = url
      ? { kind: "postgres", url, schema: `octo_fault_${options.name}_${randomBytes(4).toString("hex")}` }
      : { kind: "pglite", dataDir: path.join(dir, "pglite") };
    // Trigger ids outlive a slow machine; pings keep the SDK from calling a busy connection dead.
    if (options.kelpPage) await ingestKelpPage(database);
    const emulator = await SlackEmulator.start({ triggerTtlMs: 600_000, socketPingIntervalMs: 5_000 });
    return new FaultHarness(emulator, database, dir, options);
  }

  /** On Postgres bots run side by side; on PGlite one at a time (a restart takes the place of the other). */
  get replicated(): boolean {
    return this.database.kind === "postgres";
  }

  /** The `application_name` every connection of the bots carries, so a test can find (and kill) them. */
  get applicationName(): string {
    const schema = this.database.kind === "postgres" ? this.database.schema : "pglite";
    return `octo-fault-${schema}`.slice(0, 60);
  }

  bot(label: string): BotProcess {
    const bot = this.bots.get(label);
    if (!bot) throw new Error(`no bot ${label}`);
    return bot;
  }

  /** Starts a bot and resolves once it logged "started" and its Socket Mode connection is open. */
  async startBot(label: string): Promise<BotProcess> {
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: this.emulator.botToken,
      SLACK_APP_TOKEN: this.emulator.appTokenFor(label),
      SLACK_API_URL: this.emulator.apiUrl,
      OCTO_LLM_SCRIPT: path.join(this.dir, "script.json"),
      OCTO_APPROVAL_AGENTS: "contract",
      OCTO_PG_POOL_MAX: "10",
    };
    if (this.database.kind === "postgres") {
      const url = new URL(this.database.url);
      url.searchParams.set("application_name", this.applicationName);
      Object.assign(env, {
        POSTGRES_URL: url.toString(),
        OCTO_PG_SCHEMA: this.database.schema,
        OCTO_DATA_DIR: path.join(this.dir, `data-${label}`),
      });
    } else {
      env.OCTO_DATA_DIR = this.database.dataDir;
    }
    const bot = spawnBot(label, env);
    this.bots.set(label, bot);
    this.everyBot.push(bot);
    await Promise.all([
      bot.waitForLog('"msg":"started"', START_MS),
      this.emulator.socketMode.waitForConnection(START_MS, label),
    ]);
    return bot;
  }

  /**
   * Starts the first bot, then the others together: replicas joining a database that is already set up.
   * (Replicas starting together on a fresh database is a test of its own.)
   */
  async startBots(labels: readonly string[]): Promise<BotProcess[]> {
    const [first, ...others] = labels;
    if (first === undefined) return [];
    const bot = await this.startBot(first);
    return [bot, ...(await Promise.all(others.map((label) => this.startBot(label))))];
  }

  /** A unique token for a request's text, which the scripted answer repeats. */
  token(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(4, "0")}z`;
  }

  /**
   * A person mentions the bot (in `threadTs`, or starting a thread) with `text` plus a token, delivered
   * to the connection `to` (or the next in turn). As Slack does with an envelope nobody acknowledged, a
   * failed delivery is retried, on whichever connection is open.
   */
  async mention(text: string, options: { threadTs?: string; to?: string; tokenPrefix?: string } = {}) {
    const token = this.token(options.tokenPrefix ?? "q");
    const event = this.emulator.payloads.mention({
      user: USER,
      channel: CHANNEL,
      text: `${text} ${token}`,
      ...(options.threadTs ? { threadTs: options.threadTs } : {}),
    });
    const request: SentRequest = { channel: CHANNEL, threadTs: event.threadTs, token };
    this.requests.push(request);
    const label = await this.deliverEvent(event, options.to);
    if (label) this.ackedBy.set(token, label);
    return { ...request, event, ackedBy: label };
  }

  private async deliverEvent(event: BuiltEvent, to: string | undefined): Promise<string | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const routes = this.emulator.socketMode.routes;
      const routed = routes.length;
      // The envelope is routed synchronously inside this call, so routes[routed] is this one's.
      const acked = this.emulator
        .socket(attempt === 0 ? to : undefined)
        .event(event.body, attempt === 0 ? {} : { retryNum: attempt, retryReason: "timeout" });
      const label = routes.length > routed ? routes[routed]?.label : undefined;
      try {
        await acked;
        return label;
      } catch {
        await sleep(500);
      }
    }
    return undefined;
  }

  /** A click on a button of a message the bot posted, delivered like an event (retried if unacknowledged). */
  async click(message: EmulatedMessage, actionId: string, to?: string): Promise<void> {
    const payload = this.emulator.payloads.blockAction({ user: USER, message, actionId });
    for (let attempt = 0; ; attempt++) {
      try {
        await this.emulator.socket(attempt === 0 ? to : undefined).interaction(payload);
        return;
      } catch (error) {
        if (attempt === 2) throw error;
        await sleep(500);
      }
    }
  }

  posts(): BotPost[] {
    return botPosts(this.emulator.calls);
  }

  /** The first message in the thread whose blocks carry a button with `actionId`. */
  messageWithAction(threadTs: string, actionId: string): EmulatedMessage | undefined {
    return this.emulator.workspace
      .thread(CHANNEL, threadTs)
      .find((message) => JSON.stringify(message.blocks ?? []).includes(`"action_id":"${actionId}"`));
  }

  /** Every version (post and edits) of the progress cards in a thread. */
  cardTexts(threadTs: string): string[] {
    const calls = this.emulator.calls;
    return this.posts()
      .filter((post) => post.threadTs === threadTs && post.kind === "progress")
      .flatMap((card) => cardVersions(calls, card));
  }

  answered(requests: readonly SentRequest[] = this.requests): Set<string> {
    return answeredTokens(this.posts(), requests);
  }

  audit(requests: readonly SentRequest[] = this.requests) {
    return auditThreads(this.posts(), requests);
  }

  /**
   * Waits until every request in `requests` has an answer (or its thread holds as many answers and errors
   * as requests: an error is final too) or `deadline` (epoch ms) passes, then until the bots have posted
   * nothing for `quietMs` (a duplicate may come after the first answer). Resolves with the tokens still
   * unanswered.
   */
  async waitForAnswers(
    requests: readonly SentRequest[],
    deadline: number,
    quietMs = 2_000,
  ): Promise<string[]> {
    while (Date.now() < deadline && !this.settled(requests)) await sleep(250);
    await this.waitForQuiet(quietMs, deadline + quietMs * 3);
    const done = this.answered(requests);
    return requests.filter((request) => !done.has(request.token)).map((request) => request.token);
  }

  private settled(requests: readonly SentRequest[]): boolean {
    const posts = this.posts();
    const answered = answeredTokens(posts, requests);
    if (answered.size === requests.length) return true;
    const final = new Map<string, number>();
    for (const post of posts)
      if (post.kind === "answer" || post.kind === "error")
        final.set(post.threadTs, (final.get(post.threadTs) ?? 0) + 1);
    const asked = new Map<string, number>();
    for (const request of requests) asked.set(request.threadTs, (asked.get(request.threadTs) ?? 0) + 1);
    return [...asked].every(([threadTs, count]) => (final.get(threadTs) ?? 0) >= count);
  }

  /** Until no chat.* call arrived for `quietMs`, or `limit` (epoch ms). */
  async waitForQuiet(quietMs: number, limit: number): Promise<void> {
    const last = () => {
      const calls = this.emulator.calls;
      for (let i = calls.length - 1; i >= 0; i--) {
        const call = calls[i];
        if (call?.method.startsWith("chat.")) return call.at;
      }
      return 0;
    };
    while (Date.now() < limit && Date.now() - last() < quietMs) await sleep(200);
  }

  /** Resolves with the first value `get` gives that is neither undefined nor false; undefined after `timeoutMs`. */
  async poll<T>(get: () => T | undefined | false, timeoutMs: number): Promise<T | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = get();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > end) return undefined;
      await sleep(100);
    }
  }

  /**
   * Ends every connection the bots hold to the Postgres server (pg_terminate_backend), found by their
   * application_name; the test's own connection is never among them. Resolves with how many were ended.
   */
  async terminateBotConnections(): Promise<number> {
    if (this.database.kind !== "postgres") throw new Error("only on the Postgres server");
    if (!this.admin) {
      const url = new URL(this.database.url);
      url.searchParams.set("application_name", "octo-fault-admin");
      this.admin = new pg.Client({ connectionString: url.toString() });
      await this.admin.connect();
    }
    const result = await this.admin.query<{ pid: number }>(
      `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
      [this.applicationName],
    );
    return result.rowCount ?? 0;
  }

  /** The bots' warnings and errors (the last `lines` of each), for a failure message. */
  logs(lines = 6): string {
    return botLogs(this.everyBot, lines);
  }

  /**
   * Kills every bot still running (by process group), closes the emulator, drops the schema. With
   * OCTO_FAULTS_LOG_DIR set, the bots' whole output and the emulator's record are kept there.
   */
  async close(): Promise<void> {
    await Promise.all(this.everyBot.map((bot) => (bot.alive ? bot.kill() : bot.exited)));
    const keep = process.env.OCTO_FAULTS_LOG_DIR;
    if (keep) {
      await mkdir(keep, { recursive: true });
      for (const bot of this.everyBot)
        await writeFile(
          path.join(keep, `${this.options.name}-${bot.label}.log`),
          bot.stdout() + bot.stderr(),
        );
      const calls = this.emulator.calls.map((call) => JSON.stringify(call)).join("\n");
      await writeFile(path.join(keep, `${this.options.name}-slack-calls.jsonl`), calls);
    }
    await this.admin?.end().catch(() => {});
    await this.emulator.close();
    if (this.database.kind === "postgres")
      await dropSchema(this.database.url, this.database.schema).catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }

  toString(): string {
    return `FaultHarness(${this.options.name}, ${this.database.kind})`;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
