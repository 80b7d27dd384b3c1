import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * Slack's side of Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode): `apps.connections.open`
 * hands out a one-use URL, the server greets with `hello`, pushes envelopes and waits for the app to
 * send `{envelope_id, payload?}` back. Slack redelivers unacknowledged envelopes; tests do that explicitly.
 */
export type EnvelopeType = "events_api" | "slash_commands" | "interactive";

export interface EnvelopeAck {
  envelopeId: string;
  payload: unknown;
}

interface PendingAck {
  resolve: (ack: EnvelopeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class SocketModeServer {
  readonly path = "/socket-mode";
  /** Every acknowledgement received, in order. */
  readonly acks: EnvelopeAck[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly connectWaiters = new Set<() => void>();
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly appId: string,
    private readonly pingIntervalMs: number,
  ) {}

  /** A fresh single-use connection URL, as apps.connections.open returns. */
  issueUrl(origin: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${origin.replace(/^http/, "ws")}${this.path}?ticket=${ticket}`;
  }

  get connections(): number {
    return this.sockets.size;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://emulator");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== this.path || !this.tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  /** Resolves once at least one app connection has said hello back (is open). */
  waitForConnection(timeoutMs = 15_000): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.connectWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectWaiters.delete(done);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref?.();
      this.connectWaiters.add(done);
    });
  }

  /** Pushes one envelope to a connected app and resolves with its acknowledgement. */
  send(
    type: EnvelopeType,
    payload: unknown,
    options: { retryAttempt?: number; retryReason?: string; timeoutMs?: number } = {},
  ): Promise<EnvelopeAck> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error("no Socket Mode connection is open"));
    const envelopeId = randomUUID();
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
    };
    if (type === "events_api") {
      envelope.retry_attempt = options.retryAttempt ?? 0;
      envelope.retry_reason = options.retryReason ?? "";
    }
    const timeoutMs = options.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`envelope ${type} was not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref?.();
      this.pending.set(envelopeId, { resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks every app connection to reconnect, as Slack does before recycling a server. */
  requestReconnect(reason = "refresh_requested"): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: "disconnect", reason }));
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error("emulator closed"));
      this.pending.delete(id);
    }
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("message", (data) => this.onMessage(data.toString()));
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("error", () => this.sockets.delete(ws));
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.size,
        debug_info: { host: "emulator", approximate_connection_time: 3600 },
        connection_info: { app_id: this.appId },
      }),
    );
    if (!this.pinger && this.pingIntervalMs > 0) {
      // Slack pings its clients; the SDK treats a long silence as a dead connection.
      this.pinger = setInterval(() => {
        for (const socket of this.sockets) socket.ping(`emulator ${Date.now()}`);
      }, this.pingIntervalMs);
      this.pinger.unref();
    }
    for (const waiter of [...this.connectWaiters]) waiter();
  }

  private onMessage(text: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== "string") return;
    const ack: EnvelopeAck = { envelopeId: message.envelope_id, payload: message.payload };
    this.acks.push(ack);
    const pending = this.pending.get(message.envelope_id);
    if (!pending) return;
    this.pending.delete(message.envelope_id);
    clearTimeout(pending.timer);
    pending.resolve(ack);
  }
}
