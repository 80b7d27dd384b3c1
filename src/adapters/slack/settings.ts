import { type Config, ConfigError } from "../../config.js";

/**
 * Which way the app reaches Slack, from the environment: `SLACK_APP_TOKEN` selects Socket Mode (no public
 * URL), otherwise `SLACK_BOT_TOKEN` + `SLACK_SIGNING_SECRET` serve `POST /slack/events` on the process's
 * HTTP server (`HOST`, `PORT`).
 */
export type SlackSettings =
  | {
      mode: "http";
      botToken: string;
      signingSecret: string;
      /** Where the adapter's own server listens when the process gives it none (PORT). */
      port: number;
      /** Undefined means Slack's own https://slack.com/api/. */
      apiUrl: string | undefined;
      approvers: readonly string[];
    }
  | {
      mode: "socket";
      botToken: string;
      appToken: string;
      apiUrl: string | undefined;
      approvers: readonly string[];
    };

/** The path Slack posts events, slash commands and interactivity to in HTTP mode. */
export const EVENTS_PATH = "/slack/events";

export function slackSettings(config: Config): SlackSettings | undefined {
  const botToken = config.SLACK_BOT_TOKEN;
  if (!botToken) {
    if (config.SLACK_APP_TOKEN) {
      throw new ConfigError(["SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (the bot posts with it)"]);
    }
    return undefined;
  }
  const apiUrl = config.SLACK_API_URL;
  const approvers = config.OCTO_APPROVERS;
  if (config.SLACK_APP_TOKEN) {
    return { mode: "socket", botToken, appToken: config.SLACK_APP_TOKEN, apiUrl, approvers };
  }
  if (!config.SLACK_SIGNING_SECRET) {
    throw new ConfigError([
      "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
  }
  return {
    mode: "http",
    botToken,
    signingSecret: config.SLACK_SIGNING_SECRET,
    port: config.PORT,
    apiUrl,
    approvers,
  };
}
