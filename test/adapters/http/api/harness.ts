import { createHttpApiAdapter, type HttpApiAdapter } from "../../../../src/adapters/http/api/index.js";
import { HttpHost } from "../../../../src/adapters/http/index.js";
import { loadConfig } from "../../../../src/config.js";
import { type ConversationService, storeLedger } from "../../../../src/conversations/index.js";
import type { ScriptedLlm } from "../../../../src/llm/scripted.js";
import type { JobQueue } from "../../../../src/store/index.js";
import { type DatabaseKind, openTestStore, type TestStore } from "../../../support/databases.js";
import { capturingLogger, type LogLine } from "../../../support/logs.js";
import { createTestService, type TestServiceOptions } from "../../../support/service.js";

export const TOKEN = "test-token-0123456789abcdef";

export interface ApiHarness {
  base: string;
  store: TestStore;
  service: ConversationService;
  llm: ScriptedLlm;
  adapter: HttpApiAdapter;
  host: HttpHost;
  logs: LogLine[];
  /** A request to `/api/v1{path}` with the token (unless `token: null`) and X-Octo-User `alice`. */
  call(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      headers?: Record<string, string>;
      token?: string | null;
      user?: string | null;
      signal?: AbortSignal;
    },
  ): Promise<Response>;
  close(): Promise<void>;
}

export interface ApiHarnessOptions extends TestServiceOptions {
  kind?: DatabaseKind;
  store?: TestStore;
  env?: Record<string, string>;
  queue?: JobQueue;
}

/** The real HttpHost on 127.0.0.1:0 with the HTTP API adapter mounted on it, over a test service. */
export async function startApi(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const store = options.store ?? (await openTestStore(options.kind ?? "pglite"));
  const { service, llm } = createTestService(store, options);
  const logs: LogLine[] = [];
  const logger = capturingLogger(logs);
  const host = new HttpHost({ host: "127.0.0.1", port: 0, logger });
  const config = loadConfig({ OCTO_API_TOKEN: TOKEN, OCTO_DATA_DIR: "/tmp/octo-api-test", ...options.env });
  const adapter = createHttpApiAdapter({
    config,
    conversations: service,
    ledger: storeLedger(store),
    logger,
    http: host.routes,
  });
  if (!adapter) throw new Error("the API adapter is not configured");
  await adapter.start();
  const root = await host.listen();
  await service.start();
  return {
    base: `${root}/api/v1`,
    store,
    service,
    llm: llm as ScriptedLlm,
    adapter,
    host,
    logs,
    call(method, path, { body, headers = {}, token = TOKEN, user = "alice", signal } = {}) {
      return fetch(`${root}/api/v1${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(user === null ? {} : { "x-octo-user": user }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    },
    async close() {
      await service.close();
      await adapter.stop();
      await host.close();
      if (!options.store) await store.destroy();
    },
  };
}

export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** The messages of a Server-Sent Events response, as they arrive (comment lines skipped). */
export async function* sseMessages(response: Response): AsyncGenerator<SseMessage> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = { id: undefined, event: undefined, data: "" };
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "id") message.id = value;
          else if (field === "event") message.event = value;
          else if (field === "data") data.push(value);
        }
        if (data.length === 0 && !message.event) continue;
        message.data = data.join("\n");
        yield message;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads a whole event stream. */
export async function allMessages(response: Response): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of sseMessages(response)) messages.push(message);
  return messages;
}

/** Opens a session for `user` (alice) and returns its id. */
export async function openSession(
  api: ApiHarness,
  body: Record<string, unknown> = {},
  user = "alice",
): Promise<string> {
  const response = await api.call("POST", "/sessions", { body, user });
  if (response.status !== 201)
    throw new Error(`session not created: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
