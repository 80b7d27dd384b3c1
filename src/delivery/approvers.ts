import type { Logger } from "../log.js";

/**
 * Who may decide an approval besides its requester: the people OCTO_APPROVERS lists, and members of the
 * platform groups it lists. The service cannot resolve a platform's groups, so the delivery layer checks
 * membership with the platform's lookup and tells the service which group vouched (`approvedVia`).
 */
export interface ApproverGroupsOptions {
  /** How long one group's member list is trusted (default five minutes). */
  ttlMs?: number;
  now?: () => number;
}

interface Cached {
  members: ReadonlySet<string>;
  fetchedAt: number;
}

/**
 * Membership of the approver groups, each group's list cached for a few minutes: one click costs at most
 * one call per group, and a person removed from a group loses the right within the TTL. A failed lookup
 * is logged with the platform's error code, counts as "not a member" (refusing is the safe side) and is
 * not cached, so the next click asks again.
 */
export class ApproverGroups {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string> | undefined>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    readonly groups: readonly string[],
    /** Undefined where the platform has no member lookup: then only `memberOf` a click carries counts. */
    private readonly listMembers: ((groupId: string) => Promise<readonly string[]>) | undefined,
    private readonly log: Logger,
    private readonly errorCode: (error: unknown) => string,
    options: ApproverGroupsOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The first approver group `user` belongs to, or undefined (none configured, not a member, or unknown). */
  async groupOf(user: string): Promise<string | undefined> {
    if (!this.listMembers) return undefined;
    for (const group of this.groups) {
      const members = await this.members(group);
      if (members?.has(user)) return group;
    }
    return undefined;
  }

  private async members(group: string): Promise<ReadonlySet<string> | undefined> {
    const cached = this.cache.get(group);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return cached.members;
    // Clicks arriving together share one lookup.
    const pending = this.inFlight.get(group) ?? this.fetch(group);
    this.inFlight.set(group, pending);
    try {
      return await pending;
    } finally {
      this.inFlight.delete(group);
    }
  }

  private async fetch(group: string): Promise<ReadonlySet<string> | undefined> {
    if (!this.listMembers) return undefined;
    try {
      const members = new Set(await this.listMembers(group));
      this.cache.set(group, { members, fetchedAt: this.now() });
      return members;
    } catch (error) {
      this.log.warn(
        { group, error: this.errorCode(error) },
        "could not read an approver group's members; not counting anyone in it",
      );
      return undefined;
    }
  }
}

export class Approvers {
  constructor(readonly groups: ApproverGroups) {}

  /**
   * The approver group that lets `user` decide `approval`; undefined for its requester and the people
   * it lists (who need no group) and for everyone else outside the groups. `memberOf` is what the click
   * itself says the person belongs to (Discord: the member's roles), trusted as the platform's word and
   * asked before any lookup.
   */
  async vouchingGroup(
    approval: { requester: string; approvers: readonly string[] },
    user: string,
    memberOf: readonly string[] = [],
  ): Promise<string | undefined> {
    if (user === approval.requester || approval.approvers.includes(user)) return undefined;
    return this.groupOf(user, memberOf);
  }

  /** The approver group `user` belongs to, by what the click carries first, else by lookup. */
  async groupOf(user: string, memberOf: readonly string[] = []): Promise<string | undefined> {
    if (this.groups.groups.length === 0) return undefined;
    const carried = this.groups.groups.find((group) => memberOf.includes(group));
    return carried ?? this.groups.groupOf(user);
  }
}
