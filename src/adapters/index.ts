import { ConsoleAdapter } from "./console/index.js";
import { createDiscordAdapter } from "./discord/index.js";
import { createHttpApiAdapter } from "./http/api/index.js";
import { createSlackAdapter } from "./slack/index.js";
import type { Adapter, AdapterContext } from "./types.js";

export type { Adapter, AdapterContext, ConnectionState } from "./types.js";

/**
 * The platforms this process serves: every configured platform adapter (the HTTP API, with
 * OCTO_API_TOKEN, counts as one: a server), or the console when none is configured (the embedded quick
 * start). Adding a platform is one folder plus one line here.
 */
export function selectAdapters(
  ctx: AdapterContext,
  options: { thread: string | undefined; onConsoleExit: () => void },
): Adapter[] {
  // Slack and Discord side by side when both are configured: one process serves both.
  const platforms = [createSlackAdapter(ctx), createDiscordAdapter(ctx), createHttpApiAdapter(ctx)].filter(
    (adapter): adapter is NonNullable<typeof adapter> => Boolean(adapter),
  );
  // The API counts even where it is not served (a worker): such a process runs jobs, not the console.
  if (platforms.length > 0 || ctx.config.OCTO_API_TOKEN) return platforms;
  return [new ConsoleAdapter(ctx, { thread: options.thread, onExit: options.onConsoleExit })];
}
