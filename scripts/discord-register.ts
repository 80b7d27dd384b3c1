/**
 * `npm run discord:register`: registers `/octo` for the bot in DISCORD_TOKEN, in DISCORD_GUILD_ID when
 * set (at once, for trying it out) or globally. Bulk overwrite: running it again changes nothing.
 * Exit 0 with what was done on stdout; 1 when Discord refused or could not be reached; 2 for settings.
 */
import { RegisterError, registerCommands } from "../src/adapters/discord/register.js";
import { isConfigError, loadConfig } from "../src/config.js";
import { errorMessage } from "../src/vocabulary/index.js";

try {
  const config = loadConfig();
  const done = await registerCommands({
    token: config.DISCORD_TOKEN ?? "",
    applicationId: config.DISCORD_APPLICATION_ID,
    guildId: config.DISCORD_GUILD_ID,
    apiUrl: config.DISCORD_API_URL,
  });
  const application = `application ${done.applicationId}${done.applicationIdAsked ? " (asked Discord: GET /applications/@me)" : ""}`;
  const where =
    done.scope === "guild"
      ? `the commands of guild ${done.guildId}`
      : "the global commands (every server the bot is in, and DMs)";
  const lines = [
    `discord:register: ${application}`,
    `discord:register: bulk-overwrote ${where}: ${done.commands.length} command(s)`,
    ...done.commands.map(
      (command) =>
        `  /${command.name}  id ${command.id}  sub-commands: ${command.subcommands.join(", ") || "none"}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} catch (error) {
  if (isConfigError(error)) {
    process.stderr.write(`discord:register: ${error.lines.join("; ")}\n`);
    process.exit(2);
  }
  process.stderr.write(`discord:register: ${errorMessage(error)}\n`);
  process.exit(error instanceof RegisterError && error.source === "settings" ? 2 : 1);
}
