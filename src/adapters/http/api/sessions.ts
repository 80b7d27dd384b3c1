import { randomUUID } from "node:crypto";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ApiEnv } from "./auth.js";
import { notFound } from "./errors.js";
import { errors, json, jsonBody, security } from "./openapi.js";
import { sessionThread } from "./operations.js";
import type { RunStreams } from "./run-stream.js";
import {
  NewSessionSchema,
  PrincipalHeader,
  SessionChangesSchema,
  SessionParams,
  SessionSchema,
} from "./schemas.js";
import { sessionJson, threadKeyOf } from "./views.js";

/** The seed's session ids: `thread_` and 32 hex digits. */
function newSessionId(): string {
  return `thread_${randomUUID().replaceAll("-", "")}`;
}

const tags = ["sessions"];

/** Sessions: open (before any message), list, read, rename or mark done, forget. */
export function sessionRoutes(app: OpenAPIHono<ApiEnv>, { conversations }: RunStreams): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/sessions",
      tags,
      security,
      summary: "Open a session (a conversation) for the X-Octo-User person",
      request: { headers: PrincipalHeader, body: jsonBody(NewSessionSchema) },
      responses: { 201: json(SessionSchema, "The new session."), ...errors(400, 401, 413, 415) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const session = await conversations.createSession({
        platform: "http",
        threadKey: threadKeyOf(newSessionId()),
        requester: c.get("user"),
        title: body.title,
        metadata: body.metadata,
      });
      return c.json(sessionJson(session), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/sessions",
      tags,
      security,
      summary: "A person's sessions, most recent first",
      request: {
        headers: PrincipalHeader,
        query: z.object({
          user: z.string().min(1).max(128).optional().openapi({ description: "Default: X-Octo-User." }),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
      },
      responses: {
        200: json(z.object({ sessions: z.array(SessionSchema) }), "Sessions of this API."),
        ...errors(400, 401),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const sessions = await conversations.sessions(query.user ?? c.get("user"), {
        platform: "http",
        limit: query.limit,
      });
      return c.json({ sessions: sessions.map(sessionJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/sessions/{id}",
      tags,
      security,
      request: { headers: PrincipalHeader, params: SessionParams },
      responses: { 200: json(SessionSchema, "The session."), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const session = await conversations.session(threadKeyOf(id));
      if (!session) throw notFound("session", id);
      return c.json(sessionJson(session), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/sessions/{id}",
      tags,
      security,
      summary: "Rename a session, replace its metadata, or mark an idle one completed or failed",
      request: { headers: PrincipalHeader, params: SessionParams, body: jsonBody(SessionChangesSchema) },
      responses: {
        200: json(SessionSchema, "The session as changed."),
        ...errors(400, 401, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const changes = c.req.valid("json");
      const session = await conversations.updateSession(threadKeyOf(id), changes);
      if (!session) throw notFound("session", id);
      return c.json(sessionJson(session), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/sessions/{id}",
      tags,
      security,
      summary: "Forget a session: its checkpoints, approvals, runs and events",
      request: { headers: PrincipalHeader, params: SessionParams },
      responses: { 204: { description: "Forgotten." }, ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await conversations.forget(await sessionThread(conversations, id));
      return c.body(null, 204);
    },
  );
}
