import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small OpenAI-compatible server on 127.0.0.1 for the real `@langchain/openai` client: each request
 * to /v1/chat/completions takes the next scripted reply (the last one repeats), and is recorded.
 */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Assistant message content for a 200; ignored otherwise. */
  content?: string;
  /** A raw body instead of a completion (error payloads). */
  body?: unknown;
  delayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface RecordedRequest {
  at: number;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
    temperature?: number;
    max_tokens?: number;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
  };
  headers: http.IncomingHttpHeaders;
}

export interface FakeOpenAi {
  baseURL: string;
  requests: RecordedRequest[];
  reply(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let queue: FakeReply[] = [{ content: "ok" }];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RecordedRequest["body"];
      requests.push({ at: Date.now(), body, headers: req.headers });
      const reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? { content: "ok" };
      const send = () => {
        if (res.destroyed) return;
        const status = reply.status ?? 200;
        if (status === 200 && body.stream && reply.body === undefined) {
          res.writeHead(200, { "content-type": "text/event-stream", ...reply.headers });
          for (const event of streamEvents(body, reply)) res.write(`data: ${JSON.stringify(event)}\n\n`);
          res.end("data: [DONE]\n\n");
          return;
        }
        const payload =
          reply.body ??
          (status === 200
            ? completion(body.model, reply.content ?? "", reply.usage)
            : { error: { message: `fake error ${status}`, type: "fake", code: null } });
        res.writeHead(status, { "content-type": "application/json", ...reply.headers });
        res.end(JSON.stringify(payload));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply(...replies) {
      queue = replies.length > 0 ? replies : [{ content: "ok" }];
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function completion(model: string, content: string, usage?: FakeReply["usage"]) {
  const tokens = usage ?? { prompt_tokens: 11, completion_tokens: 7 };
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null }],
    usage: { ...tokens, total_tokens: tokens.prompt_tokens + tokens.completion_tokens },
  };
}

/** The answer as a chat.completion.chunk stream: a few content pieces, the stop, then usage. */
function streamEvents(body: RecordedRequest["body"], reply: FakeReply): unknown[] {
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const base = {
    id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
  };
  const content = reply.content ?? "";
  const pieces = content.match(/[\s\S]{1,8}/g) ?? [""];
  const tokens = reply.usage ?? { prompt_tokens: 11, completion_tokens: 7 };
  const events: unknown[] = pieces.map((piece, index) => ({
    ...base,
    choices: [
      {
        index: 0,
        delta: index === 0 ? { role: "assistant", content: piece } : { content: piece },
        finish_reason: null,
      },
    ],
  }));
  events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  if (body.stream_options?.include_usage) {
    events.push({
      ...base,
      choices: [],
      usage: { ...tokens, total_tokens: tokens.prompt_tokens + tokens.completion_tokens },
    });
  }
  return events;
}
