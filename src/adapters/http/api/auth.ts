import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../../log.js";
import { apiError } from "./errors.js";
import { PrincipalHeader } from "./schemas.js";

/** Who the client acts for when it does not say (X-Octo-User). */
export const DEFAULT_PRINCIPAL = "api";
/** A browser's WebSocket cannot send headers: it offers `bearer.<token>` among its subprotocols. */
export const SUBPROTOCOL = "octo.v1";
const BEARER_PROTOCOL = "bearer.";

export type ApiEnv = { Variables: { user: string } };

/** Constant-time, whatever the lengths: both sides are hashed to the same size first. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token a request carries: `Authorization: Bearer …`, or a WebSocket's `bearer.…` subprotocol. */
function tokenOf(headers: Headers): string | undefined {
  const authorization = headers.get("authorization");
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer) return bearer;
  const offered = headers.get("sec-websocket-protocol");
  if (!offered || headers.get("upgrade")?.toLowerCase() !== "websocket") return undefined;
  const protocol = offered
    .split(",")
    .map((part) => part.trim())
    .find((part) => part.startsWith(BEARER_PROTOCOL));
  return protocol?.slice(BEARER_PROTOCOL.length);
}

/**
 * Every route but the OpenAPI document needs the bearer token (401 otherwise, before anything is read
 * or written); the principal is the person named by X-Octo-User (a WebSocket may say `?user=`), whom the
 * token's holder vouches for, as Slack vouches for its user ids.
 */
export function authenticate(
  token: string,
  log: Logger,
  open: ReadonlySet<string>,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (open.has(c.req.path)) return next();
    const given = tokenOf(c.req.raw.headers);
    if (!given || !sameToken(given, token)) {
      log.warn(
        { method: c.req.method, path: c.req.path, token: given ? "wrong" : "missing" },
        "API request refused: no valid token",
      );
      throw apiError(401, "unauthorized", "A valid bearer token (OCTO_API_TOKEN) is required.");
    }
    const named = c.req.header("x-octo-user") ?? (c.req.header("upgrade") ? c.req.query("user") : undefined);
    const checked = PrincipalHeader.shape["x-octo-user"].safeParse(named);
    if (!checked.success) {
      log.info({ path: c.req.path }, "API request refused: bad X-Octo-User");
      throw apiError(
        400,
        "validation_failed",
        `X-Octo-User: ${checked.error.issues[0]?.message}`,
        "X-Octo-User",
      );
    }
    c.set("user", checked.data ?? DEFAULT_PRINCIPAL);
    return next();
  };
}
