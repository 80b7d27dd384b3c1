import { runLinkSettings } from "../../../delivery/index.js";
import type { AdapterContext } from "../../types.js";
import { conversationFeed } from "./feed.js";
import { RunViewer } from "./viewer.js";

export { conversationFeed, type LoggedRunEvent, type RunFeed } from "./feed.js";
export { CONTENT_SECURITY_POLICY } from "./page.js";
export { emptyFold, foldRunEvent, type RunPageView, runPageView } from "./run-view.js";
export { RunViewer } from "./viewer.js";

/**
 * The run viewer when links are on (OCTO_PUBLIC_URL and OCTO_LINK_SECRET set) and the process has the
 * shared HTTP server, reading the run event log through the conversation service; undefined otherwise,
 * with no route mounted.
 */
export function createRunViewer(ctx: AdapterContext): RunViewer | undefined {
  const links = runLinkSettings(ctx.config);
  if (!links || !ctx.http) return undefined;
  return new RunViewer({
    routes: ctx.http,
    feed: conversationFeed(ctx.conversations),
    secret: links.secret,
    logger: ctx.logger,
  });
}
