import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { RunEvent, RunEventOf } from "../../src/conversations/index.js";
import { type DatabaseKind, openTestStore, type TestStore } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { createTestService, type TestServiceOptions } from "../support/service.js";

/** Helpers the conversation service tests share; every event they collect is checked by RunEventSchema. */
export type Proposed = {
  id: number;
  agent: string;
  task: string;
  depends_on?: number[];
  needs_approval?: boolean;
};

export function planOf(...steps: Proposed[]) {
  return () => ({
    steps: steps.map((s) => ({
      description: s.task,
      depends_on: [],
      needs_approval: false,
      ...s,
    })),
  });
}

export function ofType<T extends RunEvent["type"]>(events: RunEvent[], type: T): RunEventOf<T>[] {
  return events.filter((e): e is RunEventOf<T> => e.type === type);
}

export function resultOf(events: RunEvent[]) {
  const result = ofType(events, "result")[0];
  if (!result) throw new Error(`no result in ${events.map((e) => e.type).join(",")}`);
  return result.result;
}

export function send(
  service: ReturnType<typeof createTestService>["service"],
  text: string,
  extra: { threadKey?: string; user?: string; format?: string } = {},
) {
  return collectEvents(
    service.send({
      platform: "console",
      threadKey: extra.threadKey ?? "console:t",
      user: extra.user ?? "alice",
      text,
      format: extra.format,
    }),
  );
}

/** A deferred the agents use to prove overlap without looking at the clock. */
export function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * A scripted model whose `agent` step waits until the test releases it: `entered` resolves when the
 * step is under way, `release()` lets it answer `result`.
 */
export function heldAgent(agent = "search", result = "found") {
  const entered = signal();
  const released = signal();
  return {
    entered: entered.promise,
    release: released.resolve,
    scripted: {
      handlers: {
        [`agent:${agent}`]: async () => {
          entered.resolve();
          await released.promise;
          return { result, confidence: 0.8 };
        },
      },
    },
  };
}

export function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  return Promise.race([promise, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms))]);
}

/** A store that can be closed and opened again on the same data, as a restart does. */
export async function restartableStore(kind: DatabaseKind) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "octo-restart-"));
  const schema = `octo_test_${randomBytes(5).toString("hex")}`;
  const opened: TestStore[] = [];
  return {
    async open() {
      const store = await openTestStore(kind, { dataDir: dir, schema });
      opened.push(store);
      return store;
    },
    async cleanup() {
      const last = opened.at(-1);
      for (const store of opened.slice(0, -1)) await store.close().catch(() => {});
      await last?.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh store per test on `kind`, and `make()` for services on it; every service made is closed and
 * the store destroyed after each test.
 */
export function serviceFixture(kind: DatabaseKind) {
  let store: TestStore | undefined;
  let services: ReturnType<typeof createTestService>["service"][] = [];
  beforeEach(async () => {
    store = await openTestStore(kind);
    services = [];
  });
  afterEach(async () => {
    for (const service of services) await service.close();
    await store?.destroy();
  });
  const current = (): TestStore => {
    if (!store) throw new Error("serviceFixture: no store outside a test");
    return store;
  };
  return {
    store: current,
    make(options: TestServiceOptions = {}) {
      const made = createTestService(current(), options);
      services.push(made.service);
      return made;
    },
  };
}
