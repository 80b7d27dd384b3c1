import {
  type APIApplication,
  type APIApplicationCommand,
  DiscordAPIError,
  HTTPError,
  REST,
  Routes,
} from "discord.js";
import { OCTO_COMMAND } from "./command-definition.js";

/**
 * `npm run discord:register`: puts `/octo` in place with one bulk overwrite (PUT), so running it again
 * changes nothing and a command removed from the definition disappears. Guild-scoped when a guild is
 * given (shows at once: for trying it out), global otherwise.
 */
export interface RegisterSettings {
  /** DISCORD_TOKEN, the bot token. */
  token: string;
  /** DISCORD_APPLICATION_ID; asked of Discord (`GET /applications/@me`) when absent. */
  applicationId: string | undefined;
  /** DISCORD_GUILD_ID: register in this server only. */
  guildId: string | undefined;
  /** DISCORD_API_URL; discord.js's default (https://discord.com/api) otherwise. */
  apiUrl: string | undefined;
}

export interface Registration {
  scope: "guild" | "global";
  applicationId: string;
  /** Whether the application id came from Discord rather than DISCORD_APPLICATION_ID. */
  applicationIdAsked: boolean;
  guildId: string | undefined;
  commands: { name: string; id: string; subcommands: string[] }[];
}

/** A refusal or failure worth one clear line; never carries the token. */
export class RegisterError extends Error {
  readonly code = "discord_register_failed";
  /** `settings`: fix the environment (exit 2); `discord`: Discord refused or was out of reach (exit 1). */
  constructor(
    message: string,
    readonly source: "settings" | "discord",
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = "RegisterError";
  }
}

const DEFAULT_API = "https://discord.com/api";

export async function registerCommands(settings: RegisterSettings): Promise<Registration> {
  const token = checkToken(settings.token);
  const api = settings.apiUrl ?? DEFAULT_API;
  const rest = new REST({ version: "10", retries: 2, timeout: 10_000, api }).setToken(token);
  const call = <T>(what: string, request: () => Promise<unknown>) =>
    request().then(
      (value) => value as T,
      (error: unknown) => {
        throw explain(error, what, settings, api);
      },
    );

  const applicationId =
    settings.applicationId ??
    (
      await call<APIApplication>("read the bot's application (GET /applications/@me)", () =>
        rest.get(Routes.currentApplication()),
      )
    ).id;
  const route = settings.guildId
    ? Routes.applicationGuildCommands(applicationId, settings.guildId)
    : Routes.applicationCommands(applicationId);
  const saved = await call<APIApplicationCommand[]>("register the commands", () =>
    rest.put(route, { body: [OCTO_COMMAND] }),
  );
  return {
    scope: settings.guildId ? "guild" : "global",
    applicationId,
    applicationIdAsked: settings.applicationId === undefined,
    guildId: settings.guildId,
    commands: saved.map((command) => ({
      name: command.name,
      id: command.id,
      subcommands: (command.options ?? []).map((option) => option.name),
    })),
  };
}

function checkToken(token: string): string {
  const trimmed = token.trim();
  if (!trimmed) {
    throw new RegisterError(
      "DISCORD_TOKEN is not set (Developer Portal > your application > Bot > Reset Token)",
      "settings",
    );
  }
  if (/^bot\s/i.test(trimmed)) {
    throw new RegisterError(
      'DISCORD_TOKEN starts with "Bot ": set the token alone, without the prefix',
      "settings",
    );
  }
  if (/\s/.test(trimmed)) throw new RegisterError("DISCORD_TOKEN contains spaces: copy it again", "settings");
  return trimmed;
}

/** Discord's answer as one line saying which setting to look at; Discord's own message comes along. */
function explain(error: unknown, what: string, settings: RegisterSettings, api: string): RegisterError {
  const fail = (message: string) => new RegisterError(message, "discord", { cause: error });
  if (error instanceof DiscordAPIError) {
    // Discord's own message often starts with the status already ("401: Unauthorized").
    const said = error.message.startsWith(String(error.status))
      ? error.message
      : `${error.status} ${error.message}`;
    if (error.status === 401) {
      return fail(
        `Discord refused DISCORD_TOKEN (${said}): reset it in Developer Portal > Bot and set the new one`,
      );
    }
    if ((error.status === 403 || error.status === 404) && settings.guildId) {
      return fail(
        `could not ${what} in guild ${settings.guildId} (${said}): check DISCORD_GUILD_ID, and that the bot was invited there with the applications.commands scope${settings.applicationId ? "; check DISCORD_APPLICATION_ID too" : ""}`,
      );
    }
    if ((error.status === 403 || error.status === 404) && settings.applicationId) {
      return fail(
        `could not ${what} (${said}): DISCORD_APPLICATION_ID ${settings.applicationId} is not this bot's application (unset it to ask Discord)`,
      );
    }
    return fail(`could not ${what}: Discord answered ${said}`);
  }
  if (error instanceof HTTPError) {
    return fail(`could not ${what}: Discord answered ${error.status} ${error.message}`);
  }
  const reason =
    error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return fail(`could not reach Discord at ${api} to ${what} (${reason}): check DISCORD_API_URL`);
}
