import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ApiEnv } from "./auth.js";
import { errors, eventStream, json, jsonBody, security } from "./openapi.js";
import { sendMessage } from "./operations.js";
import { outcomeOf, type RunStreams, resumePoint, sseOfRun, wantsEvents } from "./run-stream.js";
import { MessageSchema, PrincipalHeader, RunOutcomeSchema, SessionParams } from "./schemas.js";
import { threadKeyOf } from "./views.js";

const EventHeaders = PrincipalHeader.extend({
  accept: z.string().optional().openapi({ description: "`text/event-stream` streams the run's events." }),
  "last-event-id": z
    .string()
    .max(300)
    .optional()
    .openapi({ description: "Resume the stream of the run this event id names, after it; nothing is sent." }),
});

/** A message runs the graph as the session's next turn, streamed or waited for. */
export function messageRoutes(app: OpenAPIHono<ApiEnv>, streams: RunStreams): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/sessions/{id}/messages",
      tags: ["conversation"],
      security,
      summary: "Send a message: runs the graph as the session's next turn",
      description:
        "Without `Accept: text/event-stream` the answer waits for the run (at most the turn timeout): 200 with the result, 202 when a step waits for approval (with the approvals) or the run is still going. With it, the run's events stream as they happen; a dropped stream is resumed by sending the request again with `Last-Event-ID` (nothing is sent again).",
      request: { headers: EventHeaders, params: SessionParams, body: jsonBody(MessageSchema) },
      responses: {
        200: {
          description: "The run finished, or the event stream.",
          content: { ...json(RunOutcomeSchema, "").content, ...eventStream },
        },
        202: json(RunOutcomeSchema, "A step waits for a decision, or the run is still going."),
        ...errors(400, 401, 404, 409, 413, 415),
        500: json(
          RunOutcomeSchema,
          "The run failed (`error` says why; 502, 503 or 504 for the model or the store).",
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const threadKey = threadKeyOf(id);
      const lastEventId = c.req.header("last-event-id");
      if (lastEventId && wantsEvents(c)) {
        const point = await resumePoint(streams, threadKey, lastEventId);
        return sseOfRun(c, streams, point) as never;
      }
      const kept = await sendMessage(streams, c.get("user"), id, body);
      if (wantsEvents(c)) return sseOfRun(c, streams, { ...kept, preface: kept.early }) as never;
      const outcome = await outcomeOf(streams, threadKey, kept, c.req.raw.signal);
      return c.json(outcome.body, outcome.status as 200) as never;
    },
  );
}
