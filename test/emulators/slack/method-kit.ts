import type { Workspace } from "./state.js";

/** What every emulated Web API method gets, and the small helpers they share. */
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

export function requireBot(ctx: MethodContext): MethodResult | undefined {
  if (ctx.auth === "none") return fail("not_authed");
  if (ctx.auth !== "bot") return fail("invalid_auth");
  return undefined;
}
