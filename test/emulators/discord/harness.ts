import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import type { DiscordEmulator } from "./emulator.js";

/**
 * The real discord.js client wired to an emulator, as the adapter will configure it, for the emulator's
 * own tests and anyone else's.
 */
export function discordClient(emulator: DiscordEmulator): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // DM channels arrive uncached (Discord sends no CHANNEL_CREATE for them).
    partials: [Partials.Channel],
    rest: { api: emulator.apiUrl },
  });
}

/** Logs in and resolves on `clientReady` (READY plus every GUILD_CREATE). */
export async function loginClient(client: Client, emulator: DiscordEmulator): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(emulator.token);
  await ready;
}

/** `client.destroy()` can hang when a handshake never completed; never wait on it for long. */
export async function destroyClient(client: Client, ms = 2_000): Promise<void> {
  await Promise.race([client.destroy(), new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
}

/** The smallest valid PNG: 1x1, one transparent pixel. */
export const TINY_PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

/** allowed_mentions that lets nothing ping. */
export const NO_PINGS = { parse: [] as never[] };
