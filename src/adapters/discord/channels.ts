import type { Client } from "discord.js";
import type { Logger } from "../../log.js";
import { type ChannelPlace, placeOfChannel } from "./inbound.js";
import { type DiscordOutbox, discordErrorCode } from "./outbox.js";

/**
 * What kind of place a channel id is (text channel, thread and its parent, DM): a message names only
 * its channel. From the payload's own hint when it has one (interactions carry a partial channel), else
 * discord.js's cache (filled by GUILD_CREATE and THREAD_CREATE), else one GET /channels/{id}, kept.
 * A channel's kind and a thread's parent never change.
 */
const KEPT = 5_000;

export class ChannelPlaces {
  private readonly known = new Map<string, ChannelPlace>();

  constructor(
    private readonly client: Client | undefined,
    private readonly outbox: DiscordOutbox,
    private readonly log: Logger,
  ) {}

  async of(
    channelId: string,
    hint?: { type?: number | undefined; parent_id?: string | null | undefined },
  ): Promise<ChannelPlace | undefined> {
    if (hint?.type !== undefined) {
      const place = placeOfChannel(hint.type, hint.parent_id);
      // A thread without its parent in the hint needs a look-up.
      if (!(place.kind === "other" && [10, 11, 12].includes(hint.type))) return place;
    }
    const known = this.known.get(channelId) ?? this.cached(channelId);
    if (known) return known;
    try {
      const channel = await this.outbox.channel(channelId);
      const place = placeOfChannel(channel.type, "parent_id" in channel ? channel.parent_id : undefined);
      this.keep(channelId, place);
      return place;
    } catch (error) {
      this.log.warn(
        { channel: channelId, error: discordErrorCode(error) },
        "could not tell what a Discord channel is",
      );
      return undefined;
    }
  }

  private cached(channelId: string): ChannelPlace | undefined {
    const channel = this.client?.channels.cache.get(channelId);
    if (!channel) return undefined;
    const parentId = "parentId" in channel ? channel.parentId : undefined;
    return placeOfChannel(channel.type, parentId);
  }

  private keep(channelId: string, place: ChannelPlace): void {
    if (this.known.size >= KEPT) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(channelId, place);
  }
}
