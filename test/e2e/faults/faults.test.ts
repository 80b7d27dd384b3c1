import { afterEach, describe, expect, it } from "vitest";
import { slackThreadKey } from "../../../src/adapters/slack/thread-key.js";
import { ConversationService } from "../../../src/conversations/index.js";
import { ScriptedLlm } from "../../../src/llm/scripted.js";
import { silentLogger } from "../../../src/log.js";
import { openJobQueue, openStore } from "../../../src/store/index.js";
import { postgresUrl } from "../../support/databases.js";
import { TEST_SETTINGS } from "../../support/service.js";
import { CHANNEL, FaultHarness, sleep } from "./harness.js";
import { countByKind, describeProblems, type SentRequest } from "./record.js";

/**
 * Issue 16's fault tests: real bot processes on one Postgres schema, the Slack emulator in this process
 * delivering each event to ONE bot's Socket Mode connection. Loopback only; every wait is bounded; every
 * bot is killed by process group in afterEach. Run alone with `npx vitest run test/e2e/faults`.
 * Without a Postgres server each scenario that can runs on PGlite with one bot at a time (a restart in
 * place of the second replica), and says what it did not cover.
 */
const url = await postgresUrl();
const TEAM = "T0OCTO";
const STATUS_EXECUTING = "Running the plan...";

function notCovered(what: string): void {
  if (!url) console.warn(`[faults] no Postgres server: ${what} is NOT covered (one bot on PGlite instead)`);
}

let harness: FaultHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The requests each conversation holds, oldest first, as the database has them. */
async function storedTurns(h: FaultHarness, threadTs: readonly string[]): Promise<Map<string, string[]>> {
  if (h.database.kind !== "postgres") throw new Error("read after the bots, on Postgres only");
  const store = await openStore({ postgresUrl: h.database.url, schema: h.database.schema, poolMax: 2 });
  const service = new ConversationService({
    store,
    llm: new ScriptedLlm(),
    logger: silentLogger(),
    settings: TEST_SETTINGS,
    // Reads only: a queue that is never started, so this reader takes none of the bots' jobs.
    queue: await openJobQueue({
      db: store.db,
      schema: h.database.schema,
      concurrency: 1,
      logger: silentLogger(),
    }),
  });
  try {
    const turns = new Map<string, string[]>();
    for (const ts of threadTs) {
      const history = await service.history(slackThreadKey({ team: TEAM, channel: CHANNEL, threadTs: ts }));
      turns.set(
        ts,
        history.turns.map((turn) => turn.request),
      );
    }
    return turns;
  } finally {
    await service.close();
    await store.close();
  }
}

describe("fault tests: replicas, crashes and restarts against the Slack emulator", () => {
  it.skipIf(!url)(
    "replicas started together on a fresh schema all start",
    async () => {
      const h = await FaultHarness.start({ name: "boot", llmDelayMs: 0 });
      harness = h;
      const started = await Promise.allSettled(["a", "b", "c"].map((label) => h.startBot(label)));
      const failed = started.flatMap((result) =>
        result.status === "rejected" ? [String(result.reason).split("\n").slice(0, 3).join(" ")] : [],
      );
      expect(failed, "bots that could not start").toEqual([]);
    },
    90_000,
  );

  it("two workers, 200 conversations: each answered exactly once, per-thread order kept", async () => {
    notCovered("two replicas on one database");
    const h = await FaultHarness.start({ name: "load", llmDelayMs: 40 });
    harness = h;
    const labels = h.replicated ? ["a", "b"] : ["a"];
    await h.startBots(labels);

    const CONVERSATIONS = 200;
    const firsts: SentRequest[] = [];
    const seconds: SentRequest[] = [];
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const first = h.mention("search for kelp", { to: labels[i % labels.length] });
      sends.push(first);
      // Every fourth thread gets a follow-up at once, on the other replica, while the first still runs.
      if (i % 4 === 0) {
        const started = await first;
        firsts.push(started);
        sends.push(
          h
            .mention("then search for eels", {
              threadTs: started.threadTs,
              to: labels[(i + 1) % labels.length],
            })
            .then((second) => seconds.push(second)),
        );
      }
      await sleep(25);
    }
    await Promise.all(sends);
    const missing = await h.waitForAnswers(h.requests, Date.now() + 90_000);

    const routedTo = new Set(h.emulator.socketMode.routes.map((route) => route.label));
    expect(routedTo, "every bot received events").toEqual(new Set(labels));
    expect.soft(missing, `unanswered requests:\n${h.logs()}`).toEqual([]);
    const problems = h.audit();
    expect.soft(countByKind(problems), describeProblems(problems)).toEqual({});

    // Per-thread order in the conversation itself: both turns stored, the first one first.
    if (h.replicated) {
      const turns = await storedTurns(
        h,
        firsts.map((r) => r.threadTs),
      );
      const wrong = firsts.flatMap((first) => {
        const second = seconds.find((r) => r.threadTs === first.threadTs);
        const stored = turns.get(first.threadTs) ?? [];
        const expected = [first.token, second?.token ?? "?"];
        const ok =
          stored.length === 2 && expected.every((token, index) => stored[index]?.includes(token) ?? false);
        return ok ? [] : [`${first.threadTs}: stored [${stored.join(" | ")}]`];
      });
      expect.soft(wrong, "conversations whose turns are not exactly [first, second]").toEqual([]);
    }
  }, 200_000);

  it("kill -9 a worker mid-plan: another finishes the run within 60 s, no duplicates, an approval decided after the kill resumes", async () => {
    notCovered(
      "another live replica taking over (a bot restarted on the same data directory finishes instead)",
    );
    const h = await FaultHarness.start({ name: "kill", llmDelayMs: 1_500, kelpPage: true });
    harness = h;
    await h.startBots(h.replicated ? ["a", "b"] : ["a"]);

    // A run waiting for a person, then a run in the middle of its plan, both on the bot about to die.
    const contract = await h.mention("draft a contract for buoys", { to: "a" });
    const card = await h.poll(() => h.messageWithAction(contract.threadTs, "octo_approve"), 30_000);
    if (!card) throw new Error(`no approval card was posted\n${h.logs()}`);
    const run = await h.mention("search for kelp", { to: "a" });
    const midPlan = await h.poll(
      () => h.cardTexts(run.threadTs).some((text) => text.includes(STATUS_EXECUTING)),
      30_000,
    );
    if (!midPlan) throw new Error(`the run never showed its plan running\n${h.logs()}`);
    expect(h.answered([run]).size, "the run was still going when the bot was killed").toBe(0);
    const killedAt = Date.now();
    const killed = await h.bot("a").kill();
    expect(killed.signal).toBe("SIGKILL");
    if (!h.replicated) await h.startBot("a2");
    await h.poll(() => !h.emulator.socketMode.labels.includes("a"), 10_000);

    await h.click(card, "octo_approve");
    const missing = await h.waitForAnswers(h.requests, killedAt + 60_000);
    expect
      .soft(missing.includes(run.token), `the run cut mid-plan was not finished within 60 s\n${h.logs()}`)
      .toBe(false);
    expect
      .soft(missing.includes(contract.token), "the approval decided after the kill was not answered")
      .toBe(false);
    const problems = h.audit();
    expect.soft(countByKind(problems), describeProblems(problems)).toEqual({});
  }, 150_000);

  it("rolling restart under load (start B, SIGTERM A): nothing lost or doubled", async () => {
    notCovered("a rolling restart over two replicas (a stop-then-start of one bot instead)");
    // Runs of four model calls at 2.5 s outlast the 10 s a stopping bot lets them finish.
    const h = await FaultHarness.start({ name: "roll", llmDelayMs: 2_500, kelpPage: true });
    harness = h;
    const sends: Promise<unknown>[] = [];
    const load = async (count: number, to?: string) => {
      for (let i = 0; i < count; i++) {
        sends.push(h.mention("search for kelp", to ? { to } : {}));
        await sleep(300);
      }
    };
    const a = await h.startBot("a");
    await load(8, "a");
    if (h.replicated) {
      await h.startBot("b");
      await load(8);
    }
    await Promise.all(sends);
    const answered = h.answered();
    const inFlight = h.requests.filter((r) => h.ackedBy.get(r.token) === "a" && !answered.has(r.token));
    expect(inFlight.length, "runs of A were in flight when it was told to stop").toBeGreaterThan(0);

    const stoppedAt = Date.now();
    a.signal("SIGTERM");
    if (h.replicated) await load(8);
    const exit = await Promise.race([a.exited, sleep(30_000).then(() => undefined)]);
    if (!h.replicated) {
      await h.startBot("a2");
      await load(8);
    }
    await Promise.all(sends);
    expect.soft(exit?.code, "A exited cleanly after SIGTERM").toBe(0);
    expect
      .soft((exit?.at ?? Number.POSITIVE_INFINITY) - stoppedAt, "A exited within 10 s of SIGTERM")
      .toBeLessThanOrEqual(10_000);

    // B alone now carries 24 runs of 10 s, 8 at a time (OCTO_CONCURRENCY), some of them resumed.
    const missing = await h.waitForAnswers(h.requests, Date.now() + 60_000);
    expect.soft(missing, `requests never answered\n${h.logs()}`).toEqual([]);
    const problems = h.audit();
    expect.soft(countByKind(problems), describeProblems(problems)).toEqual({});
  }, 180_000);

  it.skipIf(!url)(
    "pg_terminate_backend on the bots' connections mid-run: the runs complete after reconnect",
    async () => {
      const h = await FaultHarness.start({ name: "pgkill", llmDelayMs: 400, kelpPage: true });
      harness = h;
      await h.startBots(["a", "b"]);
      const sent = await Promise.all(
        Array.from({ length: 12 }, (_, i) => sleep(i * 50).then(() => h.mention("search for kelp"))),
      );
      const midPlan = await h.poll(
        () =>
          sent.filter((r) => h.cardTexts(r.threadTs).some((text) => text.includes(STATUS_EXECUTING)))
            .length >=
          sent.length / 2,
        30_000,
      );
      if (!midPlan) throw new Error(`the runs never reached their plans\n${h.logs()}`);
      const first = await h.terminateBotConnections();
      await sleep(300);
      const second = await h.terminateBotConnections();
      expect(first, "bot connections found by application_name and terminated").toBeGreaterThan(0);

      const missing = await h.waitForAnswers(h.requests, Date.now() + 30_000);
      expect
        .soft(
          missing,
          `runs not completed after the connections were ended (${first}+${second})\n${h.logs()}`,
        )
        .toEqual([]);
      const problems = h.audit();
      expect.soft(countByKind(problems), describeProblems(problems)).toEqual({});
      expect.soft([h.bot("a").alive, h.bot("b").alive], "both bots still running").toEqual([true, true]);
    },
    120_000,
  );
});

if (!url)
  console.warn(
    "[faults] no Postgres server: SKIPPED replicas starting together, and pg_terminate_backend on the bots' connections (PGlite has neither); the stored turn order of scenario 1 is NOT checked",
  );
