import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * Slack's side of Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode): `apps.connections.open`
 * hands out a one-use URL, the server greets with `hello`, pushes envelopes and waits for the app to
 * send `{envelope_id, payload?}` back. Slack redelivers unacknowledged envelopes; tests do that explicitly.
 * With several connections open (replicas of one app, up to ten at Slack) each envelope goes to ONE of
 * them, as Slack does: round-robin here, or the connection a test names by its label (the app-level token
 * it was opened with, see `SlackEmulator.appTokenFor`).
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
  socket: WebSocket;
}

/** One open connection: its label is the app-level token's (DEFAULT_LABEL for the emulator's own token). */
interface Connection {
  id: number;
  label: string;
}

/** Which connection an envelope was pushed to, in order (tests check both replicas got work). */
export interface EnvelopeRoute {
  envelopeId: string;
  type: EnvelopeType;
  label: string;
  connectionId: number;
}

export const DEFAULT_LABEL = "default";

export class SocketModeServer {
  readonly path = "/socket-mode";
  /** Every acknowledgement received, in order. */
  readonly acks: EnvelopeAck[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Every envelope pushed, with the connection it went to. */
  readonly routes: EnvelopeRoute[] = [];
  private readonly tickets = new Map<string, string>();
  private readonly sockets = new Map<WebSocket, Connection>();
  private nextConnectionId = 0;
  private turn = 0;
  private readonly pending = new Map<string, PendingAck>();
  private readonly connectWaiters = new Set<() => void>();
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly appId: string,
    private readonly pingIntervalMs: number,
  ) {}

  /** A fresh single-use connection URL, as apps.connections.open returns; `label` names the connection. */
  issueUrl(origin: string, label = DEFAULT_LABEL): string {
    const ticket = randomUUID();
    this.tickets.set(ticket, label);
    return `${origin.replace(/^http/, "ws")}${this.path}?ticket=${ticket}`;
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Labels of the open connections, oldest first (a label appears once per connection). */
  get labels(): string[] {
    return [...this.sockets.values()].map((connection) => connection.label);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://emulator");
    const ticket = url.searchParams.get("ticket") ?? "";
    const label = this.tickets.get(ticket);
    if (url.pathname !== this.path || label === undefined) {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    this.tickets.delete(ticket);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, label));
  }

  /** Resolves once an app connection (with `label`, when given) is open. */
  waitForConnection(timeoutMs = 15_000, label?: string): Promise<void> {
    const open = () => (label === undefined ? this.sockets.size > 0 : this.labels.includes(label));
    if (open()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        if (!open()) return;
        clearTimeout(timer);
        this.connectWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectWaiters.delete(done);
        reject(new Error(`no Socket Mode connection${label ? ` "${label}"` : ""} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref?.();
      this.connectWaiters.add(done);
    });
  }

  /**
   * Pushes one envelope to one connected app (the connection labelled `to`, else the next in turn) and
   * resolves with its acknowledgement; rejects when that connection closes first or never acknowledges.
   */
  send(
    type: EnvelopeType,
    payload: unknown,
    options: { retryAttempt?: number; retryReason?: string; timeoutMs?: number; to?: string } = {},
  ): Promise<EnvelopeAck> {
    const target = this.pick(options.to);
    if (!target) {
      const which = options.to === undefined ? "" : ` labelled "${options.to}"`;
      return Promise.reject(new Error(`no Socket Mode connection${which} is open`));
    }
    const [socket, connection] = target;
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
      this.pending.set(envelopeId, { resolve, reject, timer, socket });
      this.routes.push({ envelopeId, type, label: connection.label, connectionId: connection.id });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks every app connection to reconnect, as Slack does before recycling a server. */
  requestReconnect(reason = "refresh_requested"): void {
    for (const socket of this.sockets.keys()) socket.send(JSON.stringify({ type: "disconnect", reason }));
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error("emulator closed"));
      this.pending.delete(id);
    }
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private pick(label: string | undefined): [WebSocket, Connection] | undefined {
    const open = [...this.sockets].filter(
      ([socket, connection]) =>
        socket.readyState === socket.OPEN && (label === undefined || connection.label === label),
    );
    if (open.length === 0) return undefined;
    this.turn += 1;
    return open[this.turn % open.length];
  }

  private accept(ws: WebSocket, label: string): void {
    this.nextConnectionId += 1;
    this.sockets.set(ws, { id: this.nextConnectionId, label });
    ws.on("message", (data) => this.onMessage(data.toString()));
    ws.on("close", () => this.drop(ws));
    ws.on("error", () => this.drop(ws));
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
        for (const socket of this.sockets.keys()) socket.ping(`emulator ${Date.now()}`);
      }, this.pingIntervalMs);
      this.pinger.unref();
    }
    for (const waiter of [...this.connectWaiters]) waiter();
  }

  /** A connection that went away cannot acknowledge: its envelopes fail now, not at their timeout. */
  private drop(ws: WebSocket): void {
    const connection = this.sockets.get(ws);
    if (!connection) return;
    this.sockets.delete(ws);
    for (const [id, pending] of this.pending) {
      if (pending.socket !== ws) continue;
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(new Error(`Socket Mode connection "${connection.label}" closed before acknowledging`));
    }
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
