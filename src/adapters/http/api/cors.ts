import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { Logger } from "../../../log.js";

/**
 * CORS for the origins in OCTO_ALLOWED_ORIGINS (none by default): an allowed origin gets itself back
 * (never `*`, so credentials are never wildcarded) and its preflight answered; a preflight from any
 * other origin is refused with 403 and no CORS header, and its requests get no CORS header either, so a
 * browser keeps their answers from the page.
 */
export function corsFor(origins: readonly string[], log: Logger): MiddlewareHandler {
  const allowed = new Set(origins);
  const allow = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "Accept", "Last-Event-ID", "X-Octo-User"],
    exposeHeaders: ["Content-Type"],
    credentials: true,
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin && allowed.has(origin)) return allow(c, next);
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      log.info({ origin, path: c.req.path }, "CORS preflight refused: origin not in OCTO_ALLOWED_ORIGINS");
      return c.json({ error: "origin_not_allowed", message: "This origin may not call the API." }, 403);
    }
    return next();
  };
}
