import { parseCronItem } from "graphile-worker";
import type { Logger } from "../../log.js";

/**
 * Work the queue runs on a schedule rather than per thread (retention). On Postgres it is a
 * graphile-worker cron item: whichever replica's cron sees the minute first adds its one job, which one
 * worker runs, so replicas never run it together. On PGlite (one process) a minute timer here matches
 * the same crontab pattern.
 */
export interface ScheduledTask {
  /** Names the task: graphile's task identifier and cron identifier, log lines. */
  name: string;
  /** A five-field crontab pattern (`17 * * * *`: every hour at minute 17), in UTC. */
  cron: string;
  run(signal: AbortSignal): Promise<void>;
}

/** Throws on a pattern graphile-worker would refuse, so a bad schedule fails at start, on both queues. */
export function cronMatcherOf(task: ScheduledTask) {
  return parseCronItem({ task: task.name, match: task.cron }).match;
}

const MINUTE_MS = 60_000;

/** The PGlite queue's scheduler: looks once a minute, runs a due task unless its last run still goes. */
export class MinuteScheduler {
  private readonly tasks: { task: ScheduledTask; due: ReturnType<typeof cronMatcherOf> }[] = [];
  private readonly runningTasks = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly logger: Logger) {}

  add(task: ScheduledTask): void {
    this.tasks.push({ task, due: cronMatcherOf(task) });
  }

  start(): void {
    if (this.tasks.length === 0 || this.timer) return;
    const tick = () => {
      const now = new Date();
      this.runDue(now);
      // Aligned on the next minute, so each minute is looked at once.
      this.timer = setTimeout(tick, MINUTE_MS - (now.getTime() % MINUTE_MS));
      this.timer.unref();
    };
    this.timer = setTimeout(tick, MINUTE_MS - (Date.now() % MINUTE_MS));
    this.timer.unref();
  }

  /** Runs every task due at `at` (the timer's tick; tests call it with the minute they mean). */
  runDue(at: Date): Promise<void>[] {
    const digest = {
      min: at.getUTCMinutes(),
      hour: at.getUTCHours(),
      date: at.getUTCDate(),
      month: at.getUTCMonth() + 1,
      dow: at.getUTCDay(),
    };
    return this.tasks.filter(({ due }) => due(digest)).map(({ task }) => this.runNow(task.name));
  }

  /** Runs the named task now, or joins its run under way. */
  runNow(name: string): Promise<void> {
    const entry = this.tasks.find(({ task }) => task.name === name);
    if (!entry || this.controller.signal.aborted) return Promise.resolve();
    const under = this.runningTasks.get(name);
    if (under) return under;
    const run = entry.task
      .run(this.controller.signal)
      .catch((error: unknown) =>
        this.logger.error({ err: error, task: name }, `the scheduled task ${name} failed`),
      )
      .finally(() => this.runningTasks.delete(name));
    this.runningTasks.set(name, run);
    return run;
  }

  /** Stops the timer, aborts runs under way and waits for them. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.controller.abort();
    await Promise.allSettled([...this.runningTasks.values()]);
  }
}
