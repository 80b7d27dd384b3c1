import type { EmulatedMessage, Workspace } from "./state.js";

/**
 * What every emulated Web API method gets and answers with, and the helpers they share: Slack answers
 * HTTP 200 with `ok` and either the result or an `error` code (docs.slack.dev/reference/methods/*).
 */
export interface MethodContext {
  workspace: Workspace;
  params: Record<string, unknown>;
  auth: "bot" | "app" | "none" | "invalid";
  baseUrl: string;
  /** Trigger ids live three seconds at Slack; tests may lengthen it so a slow machine is not a failure. */
  triggerTtlMs: number;
  /** WebSocket URL handed out by apps.connections.open. */
  socketUrl: () => string;
}

export type MethodResult = Record<string, unknown> & { ok: boolean };
export type Method = (ctx: MethodContext) => MethodResult;

export const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({
  ok: false,
  error,
  ...extra,
});

export function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export function blocksOf(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function messageJson(message: EmulatedMessage, botUserId: string): Record<string, unknown> {
  return {
    type: "message",
    user: message.user ?? botUserId,
    bot_id: message.botId,
    text: message.text,
    blocks: message.blocks,
    ts: message.ts,
    thread_ts: message.threadTs,
  };
}

export function requireBot(ctx: MethodContext): MethodResult | undefined {
  if (ctx.auth === "none") return fail("not_authed");
  if (ctx.auth !== "bot") return fail("invalid_auth");
  return undefined;
}

export function invalidBlocks(problems: string[]): MethodResult {
  return fail("invalid_blocks", { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
}
