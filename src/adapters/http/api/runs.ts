import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ApiEnv } from "./auth.js";
import { notFound } from "./errors.js";
import { errors, eventStream, json, security } from "./openapi.js";
import { sessionThread } from "./operations.js";
import { type RunStreams, resumePoint, sseOfRun, wantsEvents } from "./run-stream.js";
import { LoggedEventSchema, PrincipalHeader, RunSchema, SessionParams } from "./schemas.js";
import { loggedJson, runJson, threadKeyOf } from "./views.js";

const tags = ["runs"];

const RunParams = SessionParams.extend({
  run_id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "run_id", in: "path" } }),
});

/** A session's runs and each run's events: read as a page, or followed live (EventSource-friendly). */
export function runRoutes(app: OpenAPIHono<ApiEnv>, streams: RunStreams): void {
  const { conversations } = streams;

  app.openapi(
    createRoute({
      method: "get",
      path: "/sessions/{id}/runs",
      tags,
      security,
      summary: "The session's runs, newest first",
      request: {
        headers: PrincipalHeader,
        params: SessionParams,
        query: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }),
      },
      responses: { 200: json(z.object({ runs: z.array(RunSchema) }), "The runs."), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const threadKey = await sessionThread(conversations, id);
      const runs = await conversations.runs(threadKey, { limit: c.req.valid("query").limit });
      return c.json({ runs: runs.map(runJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/sessions/{id}/runs/{run_id}/events",
      tags,
      security,
      summary: "A run's events: a page, or (Accept: text/event-stream) followed until the run rests",
      description:
        "An EventSource can follow a run here: it reconnects with `Last-Event-ID` and loses nothing; once the run rests and every event was sent, a reconnect gets 204, which stops it.",
      request: {
        headers: PrincipalHeader.extend({ "last-event-id": z.string().max(300).optional() }),
        params: RunParams,
        query: z.object({
          after: z.coerce
            .number()
            .int()
            .min(0)
            .optional()
            .openapi({ description: "Only events after this seq." }),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
      responses: {
        200: {
          description: "The events after `after` (or the stream).",
          content: {
            ...json(z.object({ events: z.array(LoggedEventSchema), run: RunSchema }), "").content,
            ...eventStream,
          },
        },
        204: { description: "A stream asked to resume a run that rests, with nothing left to send." },
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const { id, run_id: runId } = c.req.valid("param");
      const query = c.req.valid("query");
      const threadKey = threadKeyOf(id);
      const run = await conversations.run(runId);
      if (run?.threadKey !== threadKey) throw notFound("run", runId);
      if (!wantsEvents(c)) {
        const events = await conversations.runEvents(runId, { after: query.after, limit: query.limit });
        return c.json({ events: events.map(loggedJson), run: runJson(run) }, 200);
      }
      const lastEventId = c.req.header("last-event-id");
      const after = lastEventId
        ? (await resumePoint(streams, threadKey, lastEventId)).after
        : (query.after ?? 0);
      if (!run.live && run.lastSeq <= after) return c.body(null, 204) as never;
      return sseOfRun(c, streams, { runId, after }) as never;
    },
  );
}
