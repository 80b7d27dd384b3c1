import { App, LogLevel, SocketModeReceiver } from "@slack/bolt";

/**
 * The baseline for the ack benchmark: a Bolt app in Socket Mode with a listener that does nothing,
 * run as its own process like the bot. Reads SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL.
 */
const slackApiUrl = process.env.SLACK_API_URL;
const receiver = new SocketModeReceiver({
  appToken: process.env.SLACK_APP_TOKEN ?? "",
  logLevel: LogLevel.ERROR,
  installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} },
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: slackApiUrl ? { slackApiUrl } : {},
});
app.event("app_mention", async () => {});
await app.start();
console.log('{"msg":"started"}');
process.on("SIGTERM", () => void receiver.client.disconnect().finally(() => process.exit(0)));
