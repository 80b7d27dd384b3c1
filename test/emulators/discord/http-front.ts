import type { IncomingMessage, ServerResponse } from "node:http";
import { parseBody, readRaw } from "./body.js";
import type { FaultPlan } from "./faults.js";
import type { Recorder } from "./recorder.js";
import { matchRoute, type RestHost } from "./rest.js";
import type { RecordedCall } from "./types.js";

/**
 * The HTTP side of the emulator in front of the REST routes: strips `/api/v10`, checks the bot token,
 * applies armed faults, records every call (refusals included) and serves attachment downloads.
 */
export interface HttpFrontHost {
  token: string;
  calls: Recorder<RecordedCall>;
  faults: FaultPlan;
  rest: RestHost;
}

export class HttpFront {
  constructor(private readonly host: HttpFrontHost) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator");
    const method = request.method ?? "GET";
    const raw = await readRaw(request);
    if (method === "GET" && url.pathname.startsWith("/attachments/"))
      return this.serveAttachment(url, response);
    const apiPath = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname)?.[1];
    const matched = apiPath ? matchRoute(method, apiPath) : undefined;
    const header = request.headers.authorization;
    const auth: RecordedCall["auth"] = !header
      ? "none"
      : header === `Bot ${this.host.token}`
        ? "bot"
        : "invalid";
    const parsed = await parseBody(request.headers["content-type"] ?? "", raw);
    const record = (route: string, status: number, body: unknown) =>
      this.host.calls.record({
        method,
        route,
        path: apiPath ?? url.pathname,
        params: matched?.params ?? {},
        query: Object.fromEntries(url.searchParams),
        body: parsed.json,
        files: parsed.files,
        auth,
        status,
        response: body ?? null,
        via: "rest",
      });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (status === 204 || body === undefined) {
        response.writeHead(status, headers);
        response.end();
        return;
      }
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(body));
    };
    if (!matched) {
      const body = { code: 0, message: "404: Not Found" };
      record(`${method} ${apiPath ?? url.pathname}`, 404, body);
      return send(404, body);
    }
    const routeName = `${method} ${matched.route.template}`;
    if (matched.route.auth === "bot" && auth !== "bot") {
      const body = { code: 0, message: "401: Unauthorized" };
      record(routeName, 401, body);
      return send(401, body);
    }
    const fault = this.host.faults.take(routeName);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault && !fault.passThrough) {
      record(routeName, fault.status, fault.body);
      return send(fault.status, fault.body, fault.headers);
    }
    if (parsed.malformed) {
      const body = { code: 50109, message: "The request body contains invalid JSON." };
      record(routeName, 400, body);
      return send(400, body);
    }
    const reply = matched.route.handle(this.host.rest, {
      method,
      params: matched.params,
      query: url.searchParams,
      body: parsed.json,
      files: parsed.files,
    });
    record(routeName, reply.status, reply.body);
    send(reply.status, reply.body);
  }

  private serveAttachment(url: URL, response: ServerResponse): void {
    const [, , channelId, id] = url.pathname.split("/");
    const attachment = id ? this.host.rest.world.attachments.get(id) : undefined;
    const found = attachment !== undefined && url.pathname.startsWith(`/attachments/${channelId}/${id}/`);
    this.host.calls.record({
      method: "GET",
      route: "GET /attachments/:channel/:id/:filename",
      path: url.pathname,
      params: { channel: channelId ?? "", id: id ?? "" },
      query: {},
      body: {},
      files: [],
      auth: "none",
      status: found ? 200 : 404,
      response: null,
      via: "rest",
    });
    if (!found || !attachment) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("Not Found");
      return;
    }
    response.writeHead(200, {
      "content-type": attachment.contentType ?? "application/octet-stream",
      "content-length": String(attachment.size),
    });
    response.end(attachment.data);
  }
}
