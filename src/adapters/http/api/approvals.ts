import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ApiEnv } from "./auth.js";
import { errors, eventStream, json, jsonBody, security } from "./openapi.js";
import { decide, sessionThread } from "./operations.js";
import { outcomeOf, type RunStreams, sseOfRun, wantsEvents } from "./run-stream.js";
import { ApprovalSchema, DecisionSchema, PrincipalHeader, RunOutcomeSchema } from "./schemas.js";
import { approvalJson } from "./views.js";

const tags = ["approvals"];

/** Approvals waiting in a session, and the decision that resumes the run. */
export function approvalRoutes(app: OpenAPIHono<ApiEnv>, streams: RunStreams): void {
  const { conversations } = streams;

  app.openapi(
    createRoute({
      method: "get",
      path: "/approvals",
      tags,
      security,
      summary: "The approvals a session's run waits for, in step order",
      request: {
        headers: PrincipalHeader,
        query: z.object({
          session: z.string().min(1).max(100).openapi({ description: "The session's id." }),
        }),
      },
      responses: {
        200: json(z.object({ approvals: z.array(ApprovalSchema) }), "Pending approvals."),
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const { session } = c.req.valid("query");
      const threadKey = await sessionThread(conversations, session);
      const approvals = await conversations.pendingApprovals(threadKey);
      return c.json({ approvals: approvals.map(approvalJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/approvals/{id}",
      tags,
      security,
      summary: "Approve, reject or edit a step; the run goes on",
      description:
        "Decided by the X-Octo-User person, who must be the step's requester or listed in OCTO_APPROVERS (403 otherwise). Answers as a message does: the resumed run's result (200), waiting again (202), or its events with `Accept: text/event-stream`.",
      request: {
        headers: PrincipalHeader.extend({ accept: z.string().optional() }),
        params: z.object({
          id: z
            .string()
            .min(1)
            .max(200)
            .openapi({ param: { name: "id", in: "path" } }),
        }),
        body: jsonBody(DecisionSchema),
      },
      responses: {
        200: {
          description: "The run finished, or the event stream.",
          content: { ...json(RunOutcomeSchema, "").content, ...eventStream },
        },
        202: json(RunOutcomeSchema, "The run waits for another decision, or is still going."),
        ...errors(400, 401, 403, 404, 409, 413, 415),
        500: json(RunOutcomeSchema, "The resumed run failed (`error` says why)."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const kept = await decide(streams, c.get("user"), id, c.req.valid("json"));
      if (wantsEvents(c)) return sseOfRun(c, streams, kept) as never;
      const outcome = await outcomeOf(streams, kept.threadKey, kept, c.req.raw.signal);
      return c.json(outcome.body, outcome.status as 200) as never;
    },
  );
}
