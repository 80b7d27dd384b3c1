import { Client, Events, GatewayIntentBits, Partials, REST, type RESTOptions } from "discord.js";
import type { Logger } from "../../log.js";
import { errorMessage } from "../../vocabulary/index.js";
import { discordErrorCode } from "./outbox.js";
import { DEFAULT_API_URL, type DiscordSettings } from "./settings.js";

/**
 * The discord.js client: the gateway for messages and interactions, and the REST manager every call
 * goes through (DISCORD_API_URL is its `api`; discord.js finds the gateway through GET /gateway/bot
 * there, so one URL points both at an emulator). Intents: guilds (channels and threads in the cache),
 * guild and direct messages, and Message Content (privileged) for thread replies that do not mention
 * the bot.
 */
export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

export function createClient(settings: DiscordSettings, rest: Partial<RESTOptions> = {}): Client {
  const client = new Client({
    intents: INTENTS,
    // DM channels are not in the cache until used; without this discord.js drops their events.
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    rest: { ...(settings.apiUrl ? { api: settings.apiUrl } : {}), ...rest },
  });
  // REST works before (and without) the gateway: a worker posts only.
  client.rest.setToken(settings.token);
  return client;
}

/** Who the token belongs to, asked with a few quick tries: a bad token or URL stops start-up in seconds. */
export async function whoAmI(settings: DiscordSettings): Promise<{ id: string; username: string }> {
  const probe = new REST({
    retries: 1,
    timeout: 5_000,
    ...(settings.apiUrl ? { api: settings.apiUrl } : {}),
  });
  probe.setToken(settings.token);
  try {
    return (await probe.get("/users/@me")) as { id: string; username: string };
  } catch (error) {
    throw startError("GET /users/@me", settings, error);
  }
}

/** Logs in and waits for `clientReady`, within `timeoutMs`; a failure destroys the client first. */
export async function connectGateway(
  client: Client,
  settings: DiscordSettings,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    timer = setTimeout(() => reject(new Error(`no READY within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await client.login(settings.token);
    await ready;
  } catch (error) {
    await destroyClient(client, 2_000);
    throw startError("the gateway login", settings, error);
  } finally {
    clearTimeout(timer);
    ready.catch(() => undefined);
  }
}

/** `client.destroy()` can hang on a half-open handshake: bounded, so a stop always ends. */
export async function destroyClient(client: Client, timeoutMs: number, log?: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    timer.unref?.();
  });
  const destroyed = client.destroy().then(
    () => "done" as const,
    () => "done" as const,
  );
  if ((await Promise.race([destroyed, timedOut])) === "timeout")
    log?.warn({ timeoutMs }, "discord.js client did not close in time; left behind");
  clearTimeout(timer);
}

function startError(what: string, settings: DiscordSettings, error: unknown): Error {
  const reason = discordErrorCode(error);
  const detail = reason === "unknown" ? errorMessage(error) : reason;
  return new Error(
    `Discord refused or did not answer ${what} (${detail}) at ${settings.apiUrl ?? DEFAULT_API_URL}: check DISCORD_TOKEN and DISCORD_API_URL`,
    { cause: error },
  );
}
