import type { ZodType } from "zod";
import { ErrorSchema } from "./schemas.js";

/** Pieces every route's OpenAPI description shares. */

export const security = [{ bearerAuth: [] }];

export function json<T extends ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true };
}

const ERROR_DESCRIPTIONS = {
  400: "The request is malformed; `field` names what is wrong.",
  401: "No valid bearer token.",
  403: "Not allowed (an approval only its requester or OCTO_APPROVERS may decide).",
  404: "No such session, run, approval or checkpoint.",
  409: "The conversation's state refuses it (busy, waiting for a decision, already decided ...).",
  413: "The body is over the size cap.",
  415: "The body is not JSON.",
} as const;

export function errors<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, json(ErrorSchema, ERROR_DESCRIPTIONS[status])]),
  ) as {
    [K in S]: ReturnType<typeof json<typeof ErrorSchema>>;
  };
}

/** The server-sent events of a run, for the routes that stream them. */
export const eventStream = {
  "text/event-stream": {
    schema: {
      type: "string" as const,
      description:
        "With `Accept: text/event-stream`: one event per run event: `id: {run_id}:{seq}`, `event:` its type, `data:` the RunEvent as JSON; `event: end` with `{run_id, state}` once the run rests. Resume with `Last-Event-ID`.",
    },
  },
};
