import type { Logger } from "../log.js";
import { EventChannel } from "./channel.js";
import type { RunEvent } from "./events.js";
import type { ThreadJob } from "./jobs.js";
import { errorEvent } from "./run-events.js";
import { SHUTDOWN } from "./thread-work.js";
import type { Deliverer, EventStream, Platform } from "./types.js";

/**
 * Platforms whose runs are delivered by the run event log alone (the HTTP API's clients read it): every
 * process takes, completes and carries on their jobs, whatever adapters it runs.
 */
export const LOGGED_ONLY_PLATFORMS: readonly Platform[] = ["http"];

/**
 * Where a job's events go. A caller in this process that asked to follow its request (the console, the
 * one-shot mode, tests) reads them itself; everything else, whichever process accepted the request, goes
 * to the platform's deliverer here: every replica has the platform clients, so the replica that runs a
 * job is the one that reports it.
 */
export class RunRoutes {
  private readonly followers = new Map<string, { channel: EventChannel<RunEvent>; job: ThreadJob }>();
  private readonly deliverers = new Map<Platform, Deliverer>();

  constructor(private readonly log: Logger) {}

  deliverTo(platform: Platform, deliverer: Deliverer): () => void {
    this.deliverers.set(platform, deliverer);
    return () => {
      if (this.deliverers.get(platform) === deliverer) this.deliverers.delete(platform);
    };
  }

  /** The platforms this process reports runs for (those the log alone delivers included). */
  platforms(): Platform[] {
    return [...new Set([...this.deliverers.keys(), ...LOGGED_ONLY_PLATFORMS])];
  }

  /** A stream for the job that will carry `followId`, read by the caller instead of a deliverer. */
  follow(followId: string, job: ThreadJob): EventChannel<RunEvent> {
    const channel = new EventChannel<RunEvent>();
    this.followers.set(followId, { channel, job });
    return channel;
  }

  unfollow(followId: string): void {
    this.followers.get(followId)?.channel.close();
    this.followers.delete(followId);
  }

  /**
   * At shutdown: requests still waiting in the queue stay there for the next process, and whoever
   * follows them here is told they will continue.
   */
  releaseFollowers(): void {
    for (const [followId, { channel, job }] of this.followers) {
      const where = { threadKey: job.threadKey, runId: job.runId, locale: job.locale };
      channel.push(errorEvent(SHUTDOWN(), where));
      channel.close();
      this.followers.delete(followId);
    }
  }

  /**
   * Opens the way for one job's events: push into `channel`, close it when the run is over, and await
   * `delivered` before taking the thread's next job, so its messages come after this one's.
   */
  open(job: ThreadJob): {
    channel: EventChannel<RunEvent>;
    delivered: Promise<void>;
  } {
    const follower = job.followId ? this.followers.get(job.followId) : undefined;
    if (follower && job.followId) {
      this.followers.delete(job.followId);
      return { channel: follower.channel, delivered: Promise.resolve() };
    }
    const channel = new EventChannel<RunEvent>();
    const deliverer = this.deliverers.get(job.platform);
    if (!deliverer) {
      if (LOGGED_ONLY_PLATFORMS.includes(job.platform)) return { channel, delivered: drain(channel) };
      this.log.warn(
        { threadKey: job.threadKey, platform: job.platform, kind: job.kind },
        "no delivery for this platform in this process; the run goes on unreported",
      );
      return { channel, delivered: drain(channel) };
    }
    const delivered = deliverer({
      platform: job.platform,
      threadKey: job.threadKey,
      runId: job.runId,
      user: job.user,
      locale: job.locale,
      kind: job.kind,
      quiet: job.quiet,
      ...(job.kind === "turn" && job.progressCard ? { progressCard: job.progressCard } : {}),
      events: channel,
    }).catch((error: unknown) => {
      this.log.error({ err: error, threadKey: job.threadKey }, "delivering a run failed");
      return drain(channel);
    });
    return { channel, delivered };
  }
}

async function drain(stream: EventStream): Promise<void> {
  for await (const _event of stream) {
    // Read so the run is never held up by nobody listening.
  }
}
