import type { DeliveryLedger } from "../conversations/index.js";
import type { ConversationApi, Platform } from "../conversations/types.js";
import type { Logger } from "../log.js";
import type { PlatformRenderer } from "../renderers/types.js";
import { detectLocale, type Locale } from "../vocabulary/index.js";
import { ApproverGroups, Approvers } from "./approvers.js";
import { BackgroundTasks } from "./background.js";
import { BoundedMap } from "./bounded-map.js";
import type { RunLinkMaker } from "./run-links.js";

/** How many people's locales one adapter remembers; the rest are looked up again when needed. */
export const USER_LOCALES_CAPACITY = 10_000;

/**
 * What delivery needs from a platform besides a sink per thread: its renderer, the one conversation
 * service, and the bookkeeping an adapter keeps for as long as it runs. Built once at start-up.
 */
export interface Delivery<M> {
  platform: Platform;
  /** The platform's name as logs and people read it ("Slack"). */
  platformName: string;
  conversations: ConversationApi;
  /** Event dedupe and "does this thread hold a conversation". */
  ledger: DeliveryLedger;
  renderer: PlatformRenderer<M>;
  log: Logger;
  tasks: BackgroundTasks;
  /** The platform groups among OCTO_APPROVERS, whose members may decide approvals too. */
  approvers: Approvers;
  /** Least time between two edits of one progress card. */
  progressIntervalMs: number;
  /**
   * Locale each person last wrote in, for replies outside a conversation (help, usage, refusals); the
   * most recent USER_LOCALES_CAPACITY people.
   */
  userLocales: Map<string, Locale>;
  /** The platform's own code for a failed call (`channel_not_found` ...), for logs and notes. */
  errorCode(error: unknown): string;
  /** Signs the link to a run's live page for its answer's "View run" button; undefined: no links. */
  runLink?: RunLinkMaker | undefined;
}

export interface DeliverySetup<M> extends Omit<Delivery<M>, "approvers" | "userLocales" | "tasks"> {
  /**
   * The OCTO_APPROVERS entries that may be the platform's groups, and the platform's member lookup;
   * without one, membership is only what each click carries (`CardClick.memberOf`).
   */
  approverGroups: readonly string[];
  listGroupMembers?: ((group: string) => Promise<readonly string[]>) | undefined;
  /** How many people's locales to remember (default USER_LOCALES_CAPACITY; the soak test lowers it). */
  userLocalesCapacity?: number | undefined;
}

/** The delivery layer for one platform, with fresh bookkeeping (tasks, group cache, locales). */
export function createDelivery<M>(setup: DeliverySetup<M>): Delivery<M> {
  const { approverGroups, listGroupMembers, userLocalesCapacity, ...rest } = setup;
  const groups = new ApproverGroups(approverGroups, listGroupMembers, setup.log, setup.errorCode);
  return {
    ...rest,
    tasks: new BackgroundTasks(setup.log),
    approvers: new Approvers(groups),
    userLocales: new BoundedMap(userLocalesCapacity ?? USER_LOCALES_CAPACITY),
  };
}

/** A reply outside a conversation: Korean when `text` is, else the person's last locale, else English. */
export function replyLocale<M>(ctx: Delivery<M>, user: string, text = ""): Locale {
  return detectLocale(text) === "ko" ? "ko" : (ctx.userLocales.get(user) ?? "en");
}

/**
 * After the transport stopped: lets deliveries in flight finish for up to `graceMs`; what is cut off
 * has its state in the store and resumes after a restart.
 */
export async function settleDeliveries<M>(ctx: Delivery<M>, graceMs: number): Promise<void> {
  if (!(await ctx.tasks.drain(graceMs)))
    ctx.log.warn(
      { running: ctx.tasks.size },
      `${ctx.platformName} adapter stopped with deliveries in flight`,
    );
}
