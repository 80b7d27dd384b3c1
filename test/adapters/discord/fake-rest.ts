import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small stand-in for Discord's REST API on 127.0.0.1, recording every call: the interaction webhook
 * routes (edit / delete `@original`, follow-ups) and application commands (`/applications/@me`, bulk
 * overwrite, global and guild). Unit tests use it with interactions they craft themselves (the Discord
 * emulator only honours tokens of interactions it issued); `through-emulator.test.ts` covers the real flow.
 */
export interface RecordedCall {
  method: string;
  /** Path below the API base and version, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeRestOptions {
  /** The bot token application routes accept; others get 401 as Discord answers. */
  botToken: string;
  applicationId: string;
}

export class FakeDiscordRest {
  readonly calls: RecordedCall[] = [];
  private readonly commandIds = new Map<string, string>();
  private nextId = 1_200_000_000_000_000_000n;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeRestOptions,
  ) {}

  static async start(options: FakeRestOptions): Promise<FakeDiscordRest> {
    let fake: FakeDiscordRest | undefined;
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (part: Buffer) => parts.push(part));
      req.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        // discord.js encodes path segments (`@original` arrives as `%40original`), as Discord decodes them.
        const path = decodeURIComponent((req.url ?? "").replace(/^\/api\/v10/, "").split("?")[0] ?? "");
        const call: RecordedCall = {
          method: req.method ?? "",
          path,
          body: text ? JSON.parse(text) : undefined,
          authorization: req.headers.authorization,
        };
        fake?.calls.push(call);
        const { status, body } = fake?.answer(call) ?? { status: 500, body: undefined };
        if (body === undefined) {
          res.writeHead(status).end();
          return;
        }
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake = new FakeDiscordRest(server, options);
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  callsTo(method: string, path: string | RegExp): RecordedCall[] {
    return this.calls.filter(
      (call) =>
        call.method === method && (typeof path === "string" ? call.path === path : path.test(call.path)),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private answer(call: RecordedCall): { status: number; body: unknown } {
    if (call.path.startsWith("/webhooks/")) {
      // The interaction token authorizes these; a bot token must not be sent.
      if (call.authorization) return { status: 400, body: { message: "no auth on webhooks", code: 0 } };
      if (call.method === "DELETE") return { status: 204, body: undefined };
      return { status: 200, body: { id: this.id(), ...(call.body as object) } };
    }
    if (call.authorization !== `Bot ${this.options.botToken}`) {
      return { status: 401, body: { message: "401: Unauthorized", code: 0 } };
    }
    if (call.method === "GET" && call.path === "/applications/@me") {
      return { status: 200, body: { id: this.options.applicationId, name: "Octo" } };
    }
    const commands = call.path.match(/^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/);
    if (call.method === "PUT" && commands) {
      if (commands[1] !== this.options.applicationId) {
        return { status: 403, body: { message: "Missing Access", code: 50001 } };
      }
      const scope = commands[2] ?? "global";
      // Bulk overwrite keeps a command's id when its name is unchanged, as Discord does.
      const saved = (call.body as { name: string }[]).map((command) => {
        const key = `${scope}:${command.name}`;
        const id = this.commandIds.get(key) ?? this.id();
        this.commandIds.set(key, id);
        return { ...command, id, application_id: commands[1], ...(commands[2] ? { guild_id: scope } : {}) };
      });
      return { status: 200, body: saved };
    }
    return { status: 404, body: { message: "404: Not Found", code: 0 } };
  }

  private id(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }
}
