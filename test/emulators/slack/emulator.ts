import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpDelivery, type HttpDeliveryOptions, SocketDelivery } from "./deliver.js";
import { FaultPlan } from "./faults.js";
import { fileIdOfDownloadPath, mimeTypeOf, SIGN_IN_PAGE, SIGN_IN_PATH } from "./files.js";
import { PayloadFactory } from "./payloads.js";
import { type CallPredicate, CallRecorder, type RecordedCall } from "./recorder.js";
import { DEFAULT_LABEL, SocketModeServer } from "./socket-mode.js";
import { DEFAULT_SEED, Workspace, type WorkspaceSeed } from "./state.js";
import { callMethod } from "./web-api.js";

/**
 * A local Slack for tests and benchmarks: the Web API under `/api/`, the external upload URL, files'
 * `url_private_download`, and the Socket Mode WebSocket, all on 127.0.0.1 with a random port. The real `@slack/web-api` and
 * `@slack/socket-mode` clients talk to it through `slackApiUrl`; nothing leaves the machine.
 */
export interface SlackEmulatorOptions {
  seed?: Partial<WorkspaceSeed>;
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  /** Lifetime of trigger ids (Slack: 3 s). */
  triggerTtlMs?: number;
  /** How often the Socket Mode server pings; 0 turns pings off. */
  socketPingIntervalMs?: number;
}

/** Fields whose form value is JSON text in Slack's form-encoded API calls. */
const JSON_FIELDS = new Set([
  "blocks",
  "attachments",
  "view",
  "files",
  "metadata",
  "file_uploads",
  "prompts",
  "loading_messages",
  "chunks",
]);

export class SlackEmulator {
  readonly workspace: Workspace;
  readonly recorder = new CallRecorder();
  readonly faults = new FaultPlan();
  readonly socketMode: SocketModeServer;
  readonly payloads: PayloadFactory;
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  private readonly triggerTtlMs: number;
  private readonly server: Server;
  /** Further app-level tokens (token -> label), one per replica that opens its own Socket Mode connection. */
  private readonly appTokens = new Map<string, string>();
  private origin = "";

  private constructor(options: SlackEmulatorOptions) {
    this.workspace = new Workspace({ ...DEFAULT_SEED, ...options.seed });
    this.botToken = options.botToken ?? "xoxb-0000-emulator-bot-token";
    this.appToken = options.appToken ?? "xapp-1-emulator-app-token";
    this.signingSecret = options.signingSecret ?? "emulator-signing-secret";
    this.triggerTtlMs = options.triggerTtlMs ?? 3_000;
    this.socketMode = new SocketModeServer(this.workspace.seed.appId, options.socketPingIntervalMs ?? 10_000);
    this.payloads = new PayloadFactory(this.workspace, () => this.origin);
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on("upgrade", (request, socket, head) =>
      this.socketMode.handleUpgrade(request, socket, head),
    );
  }

  static async start(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(options);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once("error", reject);
      emulator.server.listen({ host: "127.0.0.1", port: 0 }, () => resolve());
    });
    const { port } = emulator.server.address() as AddressInfo;
    emulator.origin = `http://127.0.0.1:${port}`;
    return emulator;
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  get baseUrl(): string {
    return this.origin;
  }

  get calls(): RecordedCall[] {
    return this.recorder.calls;
  }

  callsOf(method: string, predicate?: CallPredicate): RecordedCall[] {
    return this.recorder.of(method, predicate);
  }

  waitForCall(
    method: string,
    predicate?: CallPredicate,
    options?: { nth?: number; timeoutMs?: number },
  ): Promise<RecordedCall> {
    return this.recorder.waitFor(method, predicate, options);
  }

  /** Delivers signed requests to an app listening in HTTP mode at `appUrl`. */
  http(appUrl: string, options: HttpDeliveryOptions = {}): HttpDelivery {
    return new HttpDelivery(appUrl, this.signingSecret, options);
  }

  /**
   * Delivers envelopes to the app connected over Socket Mode: to one of its connections in turn, or
   * always to the connection labelled `to` (opened with `appTokenFor(to)`).
   */
  socket(to?: string): SocketDelivery {
    return new SocketDelivery(this.socketMode, to);
  }

  /**
   * Another app-level token of the same app (Slack lets an app have several), whose Socket Mode
   * connections carry `label`: give each replica its own, and a test can tell their connections apart.
   */
  appTokenFor(label: string): string {
    const token = `${this.appToken}-${label}`;
    this.appTokens.set(token, label);
    return token;
  }

  /** Forgets recorded calls, faults and workspace content (the seed stays). */
  reset(): void {
    this.recorder.clear();
    this.faults.clear();
    this.workspace.reset();
  }

  async close(): Promise<void> {
    await this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.origin);
    const body = await readBody(request);
    if (request.method === "POST" && url.pathname.startsWith("/upload/")) {
      await this.handleUpload(url.pathname.slice("/upload/".length), request, body, response);
      return;
    }
    if (request.method === "POST" && url.pathname.startsWith("/response/")) {
      // response_url webhooks (slash commands, interactions): recorded like a method call.
      const params = await parseParams(request, body);
      this.recorder.record({
        method: "response_url",
        params,
        auth: "none",
        status: 200,
        response: { ok: true },
      });
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("ok");
      return;
    }
    if (request.method === "GET" && url.pathname === SIGN_IN_PATH) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(SIGN_IN_PAGE);
      return;
    }
    const fileId = request.method === "GET" ? fileIdOfDownloadPath(url.pathname) : undefined;
    if (fileId !== undefined) {
      this.serveFile(fileId, url, request, response);
      return;
    }
    if (!url.pathname.startsWith("/api/")) {
      response.statusCode = 404;
      response.end();
      return;
    }
    const method = url.pathname.slice("/api/".length);
    const params = await parseParams(request, body);
    for (const [key, value] of url.searchParams) params[key] ??= value;
    const token = this.tokenOf(request, params);
    const auth = this.authOf(request, params);
    delete params.token;

    const fault = this.faults.take(method);
    if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === "rate_limited") {
      const result = { ok: false, error: "ratelimited" };
      this.recorder.record({ method, params, auth, status: 429, response: result });
      response.writeHead(429, {
        "content-type": "application/json",
        "retry-after": String(fault.retryAfterSeconds),
      });
      response.end(JSON.stringify(result));
      return;
    }
    const result =
      fault?.kind === "error"
        ? { ok: false, error: fault.error }
        : callMethod(method, {
            workspace: this.workspace,
            params,
            auth,
            baseUrl: this.origin,
            triggerTtlMs: this.triggerTtlMs,
            socketUrl: () =>
              this.socketMode.issueUrl(this.origin, this.appTokens.get(token ?? "") ?? DEFAULT_LABEL),
          });
    this.recorder.record({ method, params, auth, status: 200, response: result });
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify(result));
  }

  private async handleUpload(
    fileId: string,
    request: IncomingMessage,
    body: Buffer,
    response: ServerResponse,
  ): Promise<void> {
    const file = this.workspace.files.get(fileId);
    const data = await uploadedBytes(request, body);
    const params = { file_id: fileId, bytes: data.length };
    if (!file) {
      this.recorder.record({ method: "upload", params, auth: "none", status: 404, response: { ok: false } });
      response.statusCode = 404;
      response.end("file not found");
      return;
    }
    file.data = data;
    this.recorder.record({ method: "upload", params, auth: "none", status: 200, response: { ok: true } });
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(`OK - ${data.length}`);
  }

  /**
   * `url_private_download`: the bytes for a request with the bot token; a redirect to the sign-in page
   * otherwise, as Slack does. Recorded as `file_download` calls.
   */
  private serveFile(fileId: string, url: URL, request: IncomingMessage, response: ServerResponse): void {
    const auth = this.authOf(request, {});
    const file = this.workspace.files.get(fileId);
    const record = (status: number) =>
      this.recorder.record({
        method: "file_download",
        params: { file_id: fileId },
        auth,
        status,
        response: { ok: status === 200 },
      });
    if (auth !== "bot") {
      record(302);
      response.writeHead(302, { location: `${SIGN_IN_PATH}?redir=${encodeURIComponent(url.pathname)}` });
      response.end();
      return;
    }
    if (!file?.data) {
      record(404);
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("file not found");
      return;
    }
    record(200);
    response.writeHead(200, {
      "content-type": file.mimetype ?? mimeTypeOf(file.filename),
      "content-length": String(file.data.length),
    });
    response.end(file.data);
  }

  private tokenOf(request: IncomingMessage, params: Record<string, unknown>): string | undefined {
    const header = request.headers.authorization;
    if (header?.startsWith("Bearer ")) return header.slice("Bearer ".length);
    return typeof params.token === "string" ? params.token : undefined;
  }

  private authOf(request: IncomingMessage, params: Record<string, unknown>): RecordedCall["auth"] {
    const token = this.tokenOf(request, params);
    if (!token) return "none";
    if (token === this.botToken) return "bot";
    if (token === this.appToken || this.appTokens.has(token)) return "app";
    return "invalid";
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseParams(request: IncomingMessage, body: Buffer): Promise<Record<string, unknown>> {
  const type = request.headers["content-type"] ?? "";
  const params: Record<string, unknown> = {};
  if (type.startsWith("application/json")) {
    const parsed = body.length > 0 ? (JSON.parse(body.toString("utf8")) as unknown) : {};
    return typeof parsed === "object" && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
  }
  if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://emulator/", {
      method: "POST",
      headers: { "content-type": type },
      body,
    }).formData();
    for (const [key, value] of form)
      params[key] = typeof value === "string" ? decodeField(key, value) : value;
    return params;
  }
  for (const [key, value] of new URLSearchParams(body.toString("utf8")))
    params[key] = decodeField(key, value);
  return params;
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The SDK posts file bytes as multipart (Buffers) or form-encoded `body` (strings); others post raw. */
async function uploadedBytes(request: IncomingMessage, body: Buffer): Promise<Buffer> {
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://emulator/", {
      method: "POST",
      headers: { "content-type": type },
      body,
    }).formData();
    for (const [, value] of form) {
      if (typeof value !== "string") return Buffer.from(await value.arrayBuffer());
    }
    const text = form.get("body") ?? form.get("content");
    return Buffer.from(typeof text === "string" ? text : "", "utf8");
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const fields = new URLSearchParams(body.toString("utf8"));
    return Buffer.from(fields.get("body") ?? fields.get("content") ?? "", "utf8");
  }
  return body;
}
