import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EVENTS_PATH } from "../../../src/adapters/slack/index.js";

/**
 * The app manifests people create the Slack app from: both modes must ask for the same scopes and
 * events, and those must cover every Web API method and event the adapter uses.
 */
const ManifestSchema = z.object({
  display_information: z.object({ name: z.string().min(1).max(35), description: z.string().max(140) }),
  features: z.object({
    bot_user: z.object({ display_name: z.string().min(1).max(80) }),
    // The assistant side panel (Bolt's Assistant in src/adapters/slack/assistant.ts).
    assistant_view: z.object({ assistant_description: z.string().min(1) }),
    slash_commands: z.array(
      z.object({ command: z.string().startsWith("/"), description: z.string(), url: z.url().optional() }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.url().optional(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true), request_url: z.url().optional() }),
    socket_mode_enabled: z.boolean(),
  }),
});

const read = (file: string) =>
  ManifestSchema.parse(JSON.parse(readFileSync(new URL(`../../../slack/${file}`, import.meta.url), "utf8")));

describe("Slack app manifests", () => {
  const http = read("manifest.json");
  const socket = read("manifest.socket.json");

  it("point HTTP mode's events, command and interactivity at /slack/events", () => {
    expect(http.settings.socket_mode_enabled).toBe(false);
    for (const url of [
      http.settings.event_subscriptions.request_url,
      http.settings.interactivity.request_url,
      http.features.slash_commands[0]?.url,
    ]) {
      expect(new URL(url ?? "http://missing/").pathname).toBe(EVENTS_PATH);
    }
  });

  it("enable Socket Mode without any public URL in the socket variant", () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain("https://");
  });

  it("ask both modes for the scopes and events the adapter uses", () => {
    for (const manifest of [http, socket]) {
      expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(["/octo"]);
      expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
        "app_mention",
        "assistant_thread_context_changed", // the channel a person views beside the panel
        "assistant_thread_started", // a new assistant thread: suggested prompts
        "message.channels", // replies in threads that hold a conversation (public channels)
        "message.groups", // the same in private channels
        "message.im", // DMs, and messages in assistant threads
      ]);
      expect(manifest.oauth_config.scopes.bot.sort()).toEqual([
        "app_mentions:read", // app_mention
        "assistant:write", // assistant.threads.setSuggestedPrompts, setTitle (and setStatus)
        "channels:history", // message.channels
        "chat:write", // chat.postMessage, chat.update, chat.postEphemeral
        "chat:write.public", // /octo's root message in public channels the bot has not joined
        "commands", // /octo
        "files:read", // attached files' url_private_download
        "files:write", // files.uploadV2
        "groups:history", // message.groups
        "im:history", // message.im
        "usergroups:read", // usergroups.users.list: user groups in OCTO_APPROVERS
        "users:read", // users.info with include_locale: the suggested prompts' language
      ]);
    }
  });
});
