import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ApiEnv } from "./auth.js";
import { errors, json, jsonBody, security } from "./openapi.js";
import { sessionThread } from "./operations.js";
import type { RunStreams } from "./run-stream.js";
import {
  CheckpointPageSchema,
  PrincipalHeader,
  RewindOutcomeSchema,
  RewindSchema,
  SessionParams,
} from "./schemas.js";
import { checkpointJson } from "./views.js";

const tags = ["conversation"];

/** A session's checkpoints (newest first, paged) and the rewind that forks from one. */
export function historyRoutes(app: OpenAPIHono<ApiEnv>, { conversations }: RunStreams): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/sessions/{id}/checkpoints",
      tags,
      security,
      summary: "The session's checkpoints, newest first",
      request: {
        headers: PrincipalHeader,
        params: SessionParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: "Default 20." }),
          before: z.string().min(1).max(100).optional().openapi({
            description: "Only checkpoints older than this one: the `next_before` of the page before.",
          }),
        }),
      },
      responses: { 200: json(CheckpointPageSchema, "One page."), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const query = c.req.valid("query");
      const threadKey = await sessionThread(conversations, id);
      const page = await conversations.checkpoints(threadKey, { limit: query.limit, before: query.before });
      return c.json(
        {
          checkpoints: page.checkpoints.map(checkpointJson),
          total: page.total,
          next_before: page.olderBefore ?? null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/sessions/{id}/rewind",
      tags,
      security,
      summary: "Fork the conversation from a checkpoint, or go back some turns",
      request: { headers: PrincipalHeader, params: SessionParams, body: jsonBody(RewindSchema) },
      responses: {
        200: json(RewindOutcomeSchema, "The new head and the turns left."),
        ...errors(400, 401, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const target = c.req.valid("json");
      const threadKey = await sessionThread(conversations, id);
      const outcome = await conversations.rewind(
        threadKey,
        target.checkpoint_id === undefined
          ? { turns: target.turns ?? 1 }
          : { checkpointId: target.checkpoint_id },
      );
      return c.json({ checkpoint_id: outcome.checkpointId, turns: outcome.turns }, 200);
    },
  );
}
