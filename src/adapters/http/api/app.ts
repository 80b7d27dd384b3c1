import { upgradeWebSocket } from "@hono/node-server";
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { type ConversationApi, describeError } from "../../../conversations/index.js";
import type { Logger } from "../../../log.js";
import { isOctoError } from "../../../vocabulary/index.js";
import { approvalRoutes } from "./approvals.js";
import { type ApiEnv, authenticate, SUBPROTOCOL } from "./auth.js";
import { capBody } from "./body-cap.js";
import { corsFor } from "./cors.js";
import { ApiError, statusOf, validationError } from "./errors.js";
import { historyRoutes } from "./history.js";
import { messageRoutes } from "./messages.js";
import { errors, security } from "./openapi.js";
import type { RunStreams } from "./run-stream.js";
import { runRoutes } from "./runs.js";
import { sessionRoutes } from "./sessions.js";
import { API_BASE } from "./views.js";
import { type SocketSet, socketEvents, WsClientMessageSchema } from "./ws.js";

export const OPENAPI_PATH = `${API_BASE}/openapi.json`;

export interface ApiAppOptions {
  conversations: ConversationApi;
  log: Logger;
  /** OCTO_API_TOKEN. */
  token: string;
  /** OCTO_ALLOWED_ORIGINS. */
  allowedOrigins: readonly string[];
  bodyLimitBytes: number;
  /** How long a request may wait for a run (the turn timeout and some). */
  waitMs: number;
  /** Where the open WebSockets are kept (so they can be closed at stop). */
  sockets: SocketSet;
  version: string;
}

/**
 * The `/api/v1` application: CORS, then the bearer token (401 before anything is read), then the body
 * cap, then the routes, each validating its request with the zod schemas the OpenAPI document is
 * generated from. Every error is the same JSON body (see errors.ts); nothing is written for a request
 * refused before its handler.
 */
export function createApiApp(options: ApiAppOptions): OpenAPIHono<ApiEnv> {
  const { log } = options;
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const refused = validationError(result.error, result.target);
      log.info(
        { method: c.req.method, path: c.req.path, field: refused.body.field },
        "API request refused: invalid",
      );
      return c.json(refused.body, 400);
    },
  }).basePath(API_BASE);
  const streams: RunStreams = { conversations: options.conversations, log, waitMs: options.waitMs };

  app.use("*", corsFor(options.allowedOrigins, log));
  app.use("*", authenticate(options.token, log, new Set([OPENAPI_PATH])));
  app.use(
    "*",
    capBody(options.bodyLimitBytes, async (c) => {
      log.warn(
        { method: c.req.method, path: c.req.path, limitBytes: options.bodyLimitBytes },
        "API body over the limit",
      );
      const message = `The body is over ${options.bodyLimitBytes} bytes.`;
      return c.json({ error: "payload_too_large", message, field: "body" }, 413);
    }),
  );

  sessionRoutes(app, streams);
  messageRoutes(app, streams);
  historyRoutes(app, streams);
  runRoutes(app, streams);
  approvalRoutes(app, streams);

  app.get(
    "/ws",
    upgradeWebSocket((c) => socketEvents(streams, c.get("user"), options.sockets)),
    (c) => c.json({ error: "upgrade_required", message: "Connect with a WebSocket client." }, 426),
  );
  describeWebSocket(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "OCTO_API_TOKEN",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Octostrator API",
      version: options.version,
      description:
        "Sessions, messages that run the supervisor graph (JSON, Server-Sent Events or WebSocket), checkpoints and rewind, approvals. Every route needs `Authorization: Bearer <OCTO_API_TOKEN>`; `X-Octo-User` names the person the client acts for.",
    },
  });

  app.notFound((c) =>
    c.json({ error: "not_found", message: `No route ${c.req.method} ${c.req.path}.` }, 404),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.body, error.status);
    if (isOctoError(error)) {
      const described = describeError(error, "en");
      log.info({ path: c.req.path, kind: described.kind }, "API request refused by the service");
      return c.json(
        { error: described.kind, message: described.message, retryable: described.retryable },
        statusOf(error.code),
      );
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      if (status === 400)
        return c.json({ error: "invalid_json", message: "The body is not valid JSON.", field: "body" }, 400);
      if (status === 415)
        return c.json(
          { error: "unsupported_media_type", message: "Send the body as application/json.", field: "body" },
          415,
        );
      return c.json({ error: "http_error", message: error.message }, status);
    }
    log.error({ err: error, method: c.req.method, path: c.req.path }, "API route failed");
    return c.json({ error: "internal", message: "Something went wrong; nothing was changed." }, 500);
  });
  return app;
}

/** The WebSocket route in the OpenAPI document: its upgrade, and the messages it takes. */
function describeWebSocket(app: OpenAPIHono<ApiEnv>): void {
  app.openAPIRegistry.register("WsClientMessage", WsClientMessageSchema);
  app.openAPIRegistry.registerPath({
    method: "get",
    // The document prefixes the app's base path.
    path: "/ws",
    tags: ["conversation"],
    security,
    summary: "WebSocket: send messages and decisions, receive the runs' events",
    description: `Upgrade with the bearer token in \`Authorization\` (or, from a browser, the subprotocols \`${SUBPROTOCOL}\` and \`bearer.<token>\`) and X-Octo-User (or \`?user=\`). Send WsClientMessage JSON; receive \`accepted\` {request_id, session_id, run_id}, \`event\` {run_id, id, seq, event} (the RunEvent; id \`{run_id}:{seq}\` as on the SSE streams), \`end\` {run_id, state} once the run rests, and \`error\` {request_id, error, message, field} for a refused message.`,
    responses: {
      101: { description: "Switching to the WebSocket protocol." },
      ...errors(401),
      426: { description: "Not a WebSocket upgrade." },
    },
  });
}
