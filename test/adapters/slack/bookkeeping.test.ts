import { describe, expect, it } from "vitest";
import { ApproverGroups, splitApprovers } from "../../../src/adapters/slack/approver-groups.js";
import { CoalescingUpdater } from "../../../src/adapters/slack/coalescing-updater.js";
import { slackSettings } from "../../../src/adapters/slack/settings.js";
import { isConfigError, loadConfig } from "../../../src/config.js";
import { silentLogger } from "../../../src/log.js";

/** A clock and sleep the test advances by hand, so spacing is checked without real time. */
function manualClock() {
  let now = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ until: now + ms, wake })),
    async advance(ms: number) {
      now += ms;
      for (const sleeper of sleepers.splice(0)) {
        if (sleeper.until <= now) sleeper.wake();
        else sleepers.push(sleeper);
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe("CoalescingUpdater", () => {
  it("sends the first state at once, then only the newest state after the spacing", async () => {
    const clock = manualClock();
    const sent: number[] = [];
    const updater = new CoalescingUpdater<number>(async (n) => void sent.push(n), {
      minIntervalMs: 1000,
      onError: () => {},
      now: clock.now,
      sleep: clock.sleep,
    });
    updater.push(1);
    await clock.advance(0);
    updater.push(2);
    updater.push(3);
    updater.push(4);
    await clock.advance(500);
    expect(sent).toEqual([1]);
    await clock.advance(500);
    await updater.settled();
    expect(sent).toEqual([1, 4]);
  });

  it("sends a final state without waiting out the spacing, after what is in flight", async () => {
    const clock = manualClock();
    const sent: string[] = [];
    let release = () => {};
    const updater = new CoalescingUpdater<string>(
      async (s) => {
        sent.push(`start ${s}`);
        if (s === "a") await new Promise<void>((resolve) => (release = resolve));
        sent.push(`end ${s}`);
      },
      { minIntervalMs: 60_000, onError: () => {}, now: clock.now, sleep: clock.sleep },
    );
    updater.push("a");
    updater.push("b");
    const finished = updater.finish("final");
    await clock.advance(0);
    release();
    await finished;
    expect(sent).toEqual(["start a", "end a", "start final", "end final"]);
  });

  it("keeps going after a failed send and reports it", async () => {
    const errors: unknown[] = [];
    const sent: number[] = [];
    const updater = new CoalescingUpdater<number>(
      async (n) => {
        if (n === 1) throw new Error("ratelimited");
        sent.push(n);
      },
      { minIntervalMs: 0, onError: (e) => errors.push(e) },
    );
    updater.push(1);
    await updater.settled();
    await updater.finish(2);
    expect(sent).toEqual([2]);
    expect(errors).toHaveLength(1);
  });
});

describe("approver groups", () => {
  it("tell user group ids (S…) from user ids in OCTO_APPROVERS", () => {
    expect(splitApprovers(["U0BOSS", "S0604QSJC", "W123A4BC5"])).toEqual({
      users: ["U0BOSS", "W123A4BC5"],
      groups: ["S0604QSJC"],
    });
  });

  it("cache each group's members for the TTL, share concurrent lookups and never cache a failure", async () => {
    let now = 0;
    const asked: string[] = [];
    let failNext = false;
    const lists: Record<string, string[]> = { S0ONE: ["U1"], S0TWO: ["U2"] };
    const groups = new ApproverGroups(
      ["S0ONE", "S0TWO"],
      async (group) => {
        asked.push(group);
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error("An API error occurred: missing_scope"), {
            data: { error: "missing_scope" },
          });
        }
        return lists[group] ?? [];
      },
      silentLogger(),
      { ttlMs: 1_000, now: () => now },
    );

    expect(await Promise.all([groups.groupOf("U2"), groups.groupOf("U2")])).toEqual(["S0TWO", "S0TWO"]);
    expect(asked).toEqual(["S0ONE", "S0TWO"]);
    expect(await groups.groupOf("U1")).toBe("S0ONE");
    expect(await groups.groupOf("U3")).toBeUndefined();
    expect(asked).toHaveLength(2);

    lists.S0ONE = [];
    now = 1_000;
    failNext = true;
    expect(await groups.groupOf("U1")).toBeUndefined();
    lists.S0ONE = ["U1"];
    expect(await groups.groupOf("U1")).toBe("S0ONE");
    expect(asked).toEqual(["S0ONE", "S0TWO", "S0ONE", "S0TWO", "S0ONE"]);
  });
});

describe("Slack settings", () => {
  const base = { OCTO_LOG_LEVEL: "silent" };

  it("are absent without a bot token", () => {
    expect(slackSettings(loadConfig(base))).toBeUndefined();
  });

  it("choose HTTP with a signing secret and Socket Mode with an app token", () => {
    const http = slackSettings(
      loadConfig({ ...base, SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_SIGNING_SECRET: "s3cret", PORT: "4000" }),
    );
    expect(http).toMatchObject({ mode: "http", port: 4000, apiUrl: undefined });
    const socket = slackSettings(
      loadConfig({
        ...base,
        SLACK_BOT_TOKEN: "xoxb-1-2",
        SLACK_APP_TOKEN: "xapp-1-2",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        OCTO_APPROVERS: "U1, U2",
      }),
    );
    expect(socket).toMatchObject({
      mode: "socket",
      apiUrl: "http://127.0.0.1:9/api/",
      approvers: ["U1", "U2"],
    });
  });

  it("refuse an app token without a bot token, naming the variable", () => {
    try {
      slackSettings(loadConfig({ ...base, SLACK_APP_TOKEN: "xapp-1-2" }));
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error) && error.lines[0]).toMatch(/^SLACK_BOT_TOKEN:/);
    }
  });
});
