import { z } from "@hono/zod-openapi";
import type { WSContext, WSEvents } from "hono/ws";
import { ApiError, validationError } from "./errors.js";
import { decide, sendMessage } from "./operations.js";
import type { RunStreams } from "./run-stream.js";
import { DecisionFields, editNeedsTask, MessageFields } from "./schemas.js";
import { THREAD_PREFIX } from "./views.js";

/**
 * `GET /api/v1/ws`: the seed's WebSocket path. A client sends JSON messages (a message into a session,
 * a decision, a follow of a run from a seq on) and gets back `accepted`, then `event`s (the run's
 * events, with the same ids as the SSE streams), then `end` once the run rests; a refused one gets an
 * `error` naming its `request_id`. Several runs may be followed at once; closing stops them.
 */
const RequestId = z.string().max(100).optional();

export const WsClientMessageSchema = z
  .discriminatedUnion("type", [
    z
      .object({
        type: z.literal("message"),
        request_id: RequestId,
        session_id: z.string().min(1).max(100),
        ...MessageFields,
      })
      .strict(),
    z
      .object({
        type: z.literal("decision"),
        request_id: RequestId,
        approval_id: z.string().min(1).max(200),
        ...DecisionFields,
      })
      .strict()
      .refine(...editNeedsTask),
    z
      .object({
        type: z.literal("follow"),
        request_id: RequestId,
        run_id: z.string().min(1).max(200),
        after: z.number().int().min(0).optional(),
      })
      .strict(),
  ])
  .openapi("WsClientMessage");

type ClientMessage = z.infer<typeof WsClientMessageSchema>;

/** Open sockets, so the adapter can tell each one it is going away when it stops. */
export type SocketSet = Set<WSContext>;

const OPEN = 1;

export function socketEvents(streams: RunStreams, user: string, sockets: SocketSet): WSEvents {
  const follows = new Set<AbortController>();
  let socket: WSContext | undefined;
  const send = (message: Record<string, unknown>) => {
    if (socket?.readyState === OPEN) socket.send(JSON.stringify(message));
  };
  const refuse = (requestId: string | undefined, error: ApiError) =>
    send({ type: "error", ...(requestId ? { request_id: requestId } : {}), ...error.body });

  const follow = async (requestId: string | undefined, runId: string, after: number) => {
    const controller = new AbortController();
    follows.add(controller);
    const deadline = setTimeout(() => controller.abort(), streams.waitMs);
    try {
      for await (const logged of streams.conversations.followRun(runId, { after, signal: controller.signal }))
        send({ type: "event", run_id: runId, id: logged.id, seq: logged.seq, event: logged.event });
      if (!controller.signal.aborted) {
        const run = await streams.conversations.run(runId);
        send({
          type: "end",
          ...(requestId ? { request_id: requestId } : {}),
          run_id: runId,
          state: run?.state ?? "queued",
        });
      }
    } finally {
      clearTimeout(deadline);
      follows.delete(controller);
    }
  };

  const handle = async (message: ClientMessage) => {
    const requestId = message.request_id;
    switch (message.type) {
      case "message": {
        const { session_id: sessionId, type: _, request_id: __, ...body } = message;
        const kept = await sendMessage(streams, user, sessionId, body);
        send({
          type: "accepted",
          ...(requestId ? { request_id: requestId } : {}),
          session_id: sessionId,
          run_id: kept.runId,
        });
        for (const event of kept.early) send({ type: "event", run_id: kept.runId, id: null, event });
        return follow(requestId, kept.runId, kept.after);
      }
      case "decision": {
        const kept = await decide(streams, user, message.approval_id, {
          decision: message.decision,
          ...(message.edited_task === undefined ? {} : { edited_task: message.edited_task }),
        });
        send({ type: "accepted", ...(requestId ? { request_id: requestId } : {}), run_id: kept.runId });
        return follow(requestId, kept.runId, kept.after);
      }
      case "follow": {
        const run = await streams.conversations.run(message.run_id);
        if (!run?.threadKey.startsWith(THREAD_PREFIX))
          throw new ApiError(404, {
            error: "not_found",
            message: `No run ${JSON.stringify(message.run_id)}.`,
          });
        return follow(requestId, message.run_id, message.after ?? 0);
      }
    }
  };

  return {
    onOpen: (_event, ws) => {
      socket = ws;
      sockets.add(ws);
    },
    onMessage: (event) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(
          typeof event.data === "string"
            ? event.data
            : Buffer.from(event.data as ArrayBuffer).toString("utf8"),
        );
      } catch {
        streams.log.info("API WebSocket message refused: not JSON");
        return refuse(
          undefined,
          new ApiError(400, { error: "invalid_json", message: "A message must be JSON.", field: "body" }),
        );
      }
      const checked = WsClientMessageSchema.safeParse(parsed);
      if (!checked.success) {
        const requestId = (parsed as { request_id?: unknown } | null)?.request_id;
        streams.log.info({ issues: checked.error.issues.length }, "API WebSocket message refused: invalid");
        return refuse(
          typeof requestId === "string" ? requestId : undefined,
          validationError(checked.error, "json"),
        );
      }
      handle(checked.data).catch((error: unknown) => {
        if (error instanceof ApiError) return refuse(checked.data.request_id, error);
        streams.log.error({ err: error }, "API WebSocket message failed");
        refuse(
          checked.data.request_id,
          new ApiError(500, { error: "internal", message: "Something went wrong." }),
        );
      });
    },
    onClose: () => {
      for (const controller of follows) controller.abort();
      if (socket) sockets.delete(socket);
    },
    onError: (event) => {
      streams.log.warn({ err: (event as Event & { error?: unknown }).error }, "API WebSocket error");
    },
  };
}
