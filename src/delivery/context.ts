import type { ConversationApi, Platform } from "../conversations/types.js";
import type { Logger } from "../log.js";
import type { PlatformRenderer } from "../renderers/types.js";
import type { Locale } from "../supervisor/types.js";
import { ApproverGroups, Approvers } from "./approvers.js";
import { BackgroundTasks } from "./background.js";

/**
 * What delivery needs from a platform besides a sink per thread: its renderer, the one conversation
 * service, and the bookkeeping an adapter keeps for as long as it runs. Built once at start-up.
 */
export interface Delivery<M> {
  platform: Platform;
  /** The platform's name as logs and people read it ("Slack"). */
  platformName: string;
  conversations: ConversationApi;
  renderer: PlatformRenderer<M>;
  log: Logger;
  tasks: BackgroundTasks;
  /** Who may decide approvals besides their requester (OCTO_APPROVERS, with the platform's groups). */
  approvers: Approvers;
  /** Least time between two edits of one progress card. */
  progressIntervalMs: number;
  /** Locale each person last wrote in, for replies outside a conversation (help, usage, refusals). */
  userLocales: Map<string, Locale>;
  /** The platform's own code for a failed call (`channel_not_found` ...), for logs and notes. */
  errorCode(error: unknown): string;
}

export interface DeliverySetup<M> extends Omit<Delivery<M>, "approvers" | "userLocales" | "tasks"> {
  /** OCTO_APPROVERS split into people and the platform's groups, with the platform's member lookup. */
  approvers: { users: readonly string[]; groups: readonly string[] };
  listGroupMembers(group: string): Promise<readonly string[]>;
}

/** The delivery layer for one platform, with fresh bookkeeping (tasks, group cache, locales). */
export function createDelivery<M>(setup: DeliverySetup<M>): Delivery<M> {
  const { approvers, listGroupMembers, ...rest } = setup;
  const groups = new ApproverGroups(approvers.groups, listGroupMembers, setup.log, setup.errorCode);
  return {
    ...rest,
    tasks: new BackgroundTasks(setup.log),
    approvers: new Approvers(approvers.users, groups),
    userLocales: new Map(),
  };
}
