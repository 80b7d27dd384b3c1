import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { type Recorded, Recorder } from "./recorder.js";

/**
 * Discord's gateway as a bot sees it (discord.com/developers/docs/events/gateway): HELLO, IDENTIFY ->
 * READY + GUILD_CREATE, heartbeats and ACKs, dispatches with increasing `s`, RESUME replaying what a
 * session missed, RECONNECT and INVALID_SESSION. A session outlives its socket unless the bot closed it
 * normally (1000/1001): dispatches for a disconnected session are kept and replayed on RESUME, so an event
 * reaches the bot exactly once however the connection breaks.
 */
export const OPCODE = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  presenceUpdate: 3,
  voiceStateUpdate: 4,
  resume: 6,
  reconnect: 7,
  requestGuildMembers: 8,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

const OPCODE_NAMES = new Map<number, string>([
  [0, "DISPATCH"],
  [1, "HEARTBEAT"],
  [2, "IDENTIFY"],
  [3, "PRESENCE_UPDATE"],
  [4, "VOICE_STATE_UPDATE"],
  [6, "RESUME"],
  [8, "REQUEST_GUILD_MEMBERS"],
  [31, "REQUEST_SOUNDBOARD_SOUNDS"],
]);

export const INTENT = {
  guilds: 1n << 0n,
  guildMessages: 1n << 9n,
  directMessages: 1n << 12n,
  messageContent: 1n << 15n,
} as const;

/** A frame the bot sent, token removed. */
export interface GatewayFrame extends Recorded {
  /** IDENTIFY, RESUME, HEARTBEAT ... */
  name: string;
  op: number;
  d: unknown;
  connectionId: number;
  sessionId: string | undefined;
  /** The URL path the connection was opened on: `/gateway`, or `/gateway-resume` (READY's resume_gateway_url). */
  path: string;
}

export interface GatewayDispatch {
  s: number;
  t: string;
  d: unknown;
}

export interface GatewaySession {
  id: string;
  seq: number;
  intents: bigint;
  shard: [number, number];
  /** Every dispatch of the session, for replay. */
  events: GatewayDispatch[];
  /** False once the bot closed normally or the session was invalidated. */
  alive: boolean;
  connection: Connection | undefined;
}

interface Connection {
  id: number;
  ws: WebSocket;
  path: string;
  query: URLSearchParams;
  session: GatewaySession | undefined;
  /** Set when the emulator closed it (a drop keeps the session resumable whatever code comes back). */
  droppedByServer: boolean;
}

export interface GatewayHost {
  token: string;
  heartbeatIntervalMs: number;
  /** Whether the Developer Portal has the Message Content intent switched on for this app. */
  messageContentIntentAllowed: boolean;
  origin: () => string;
  readyPayload: (sessionId: string, resumeUrl: string, shard: [number, number]) => Record<string, unknown>;
  guildCreates: () => Record<string, unknown>[];
}

export interface DispatchOptions {
  /** The intent a session needs to receive it (none: everyone, as INTERACTION_CREATE). */
  intent?: bigint;
  /** What a session without the Message Content intent gets instead (content, embeds ... emptied). */
  withoutContent?: unknown;
}

export interface GatewayDrop {
  /** Lets RESUMEs held by `holdResume` through. */
  release(): void;
}

export class GatewayServer {
  readonly path = "/gateway";
  readonly resumePath = "/gateway-resume";
  readonly frames = new Recorder<GatewayFrame>(
    (frame) => frame.name,
    (frame) => frame.name,
    "gateway frame",
  );
  readonly sessions = new Map<string, GatewaySession>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 0;
  private readonly readyWaiters = new Set<() => void>();
  private holding = false;
  private readonly heldResumes: { connection: Connection; d: unknown }[] = [];

  constructor(private readonly host: GatewayHost) {}

  get url(): string {
    return `${this.host.origin().replace(/^http/, "ws")}${this.path}`;
  }

  /** Open connections with a live (identified or resumed) session. */
  get connectedSessions(): GatewaySession[] {
    return [...this.connections].flatMap((connection) => (connection.session ? [connection.session] : []));
  }

  handles(pathname: string): boolean {
    return pathname === this.path || pathname === this.resumePath;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://emulator");
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, url));
  }

  /** Resolves once a session is connected and READY or RESUMED was sent; rejects after `timeoutMs`. */
  waitForConnection(timeoutMs = 10_000): Promise<GatewaySession> {
    const find = () => this.connectedSessions[0];
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const session = find();
        if (!session) return;
        clearTimeout(timer);
        this.readyWaiters.delete(check);
        resolve(session);
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(check);
        const seen = this.frames.entries.map((frame) => frame.name).join(", ");
        reject(new Error(`no gateway session connected within ${timeoutMs} ms; frames: ${seen || "(none)"}`));
      }, timeoutMs);
      timer.unref?.();
      this.readyWaiters.add(check);
    });
  }

  /** Sends an event to every live session (buffered for disconnected ones); returns how many got it now. */
  dispatch(t: string, d: unknown, options: DispatchOptions = {}): number {
    let delivered = 0;
    for (const session of this.sessions.values()) {
      if (!session.alive) continue;
      if (options.intent !== undefined && (session.intents & options.intent) === 0n) continue;
      const lacksContent = (session.intents & INTENT.messageContent) === 0n;
      const payload = lacksContent && options.withoutContent !== undefined ? options.withoutContent : d;
      if (this.push(session, t, payload)) delivered += 1;
    }
    return delivered;
  }

  /**
   * Breaks every connection: a close frame with `code` (default 4000, which discord.js answers by
   * resuming) or, `abrupt`, a dropped TCP socket. Sessions stay resumable. With `holdResume`, RESUMEs wait
   * until `release()`, so a test can dispatch while the bot is certainly away.
   */
  async drop(options: { code?: number; abrupt?: boolean; holdResume?: boolean } = {}): Promise<GatewayDrop> {
    if (options.holdResume) this.holding = true;
    const closing: Promise<void>[] = [];
    for (const connection of this.connections) {
      connection.droppedByServer = true;
      this.detach(connection);
      closing.push(new Promise((resolve) => connection.ws.once("close", () => resolve())));
      if (options.abrupt) connection.ws.terminate();
      else connection.ws.close(options.code ?? 4000, "emulator dropped the connection");
    }
    await Promise.all(closing);
    return { release: () => this.releaseResumes() };
  }

  /** op 7: asks the bot to reconnect and resume. */
  requestReconnect(): void {
    for (const connection of this.connections)
      this.send(connection, { op: OPCODE.reconnect, d: null, s: null, t: null });
  }

  /** op 9: `resumable` false ends the sessions, so the bot must IDENTIFY again. */
  invalidateSessions(resumable = false): void {
    for (const connection of this.connections) {
      if (!connection.session) continue;
      if (!resumable) connection.session.alive = false;
      this.send(connection, { op: OPCODE.invalidSession, d: resumable, s: null, t: null });
    }
  }

  async close(): Promise<void> {
    this.releaseResumes();
    for (const connection of this.connections) connection.ws.terminate();
    this.connections.clear();
    this.readyWaiters.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  reset(): void {
    this.frames.clear();
  }

  private accept(ws: WebSocket, url: URL): void {
    this.nextConnectionId += 1;
    const connection: Connection = {
      id: this.nextConnectionId,
      ws,
      path: url.pathname,
      query: url.searchParams,
      session: undefined,
      droppedByServer: false,
    };
    this.connections.add(connection);
    ws.on("message", (data, isBinary) => this.onMessage(connection, data, isBinary));
    ws.on("close", (code) => this.onClose(connection, code));
    ws.on("error", () => ws.terminate());
    if (url.searchParams.get("encoding") && url.searchParams.get("encoding") !== "json") {
      ws.close(4002, "Only encoding=json is emulated");
      return;
    }
    this.send(connection, {
      op: OPCODE.hello,
      d: { heartbeat_interval: this.host.heartbeatIntervalMs, _trace: ["emulator"] },
      s: null,
      t: null,
    });
  }

  private onClose(connection: Connection, code: number): void {
    this.connections.delete(connection);
    const session = this.detach(connection);
    // A normal close by the bot ends its session (Discord invalidates it); anything else may be resumed.
    if (session && !connection.droppedByServer && (code === 1000 || code === 1001)) session.alive = false;
  }

  private detach(connection: Connection): GatewaySession | undefined {
    const session = connection.session;
    if (session?.connection === connection) session.connection = undefined;
    connection.session = undefined;
    return session;
  }

  private onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    let frame: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error("binary frames need etf, which is not emulated");
      frame = JSON.parse(data.toString()) as typeof frame;
    } catch {
      connection.ws.close(4002, "Decode error");
      return;
    }
    const op = typeof frame.op === "number" ? frame.op : -1;
    const name = OPCODE_NAMES.get(op) ?? `OP_${op}`;
    this.frames.record({
      name,
      op,
      d: redactToken(frame.d),
      connectionId: connection.id,
      sessionId: connection.session?.id,
      path: connection.path,
    });
    if (op === OPCODE.heartbeat) {
      this.send(connection, { op: OPCODE.heartbeatAck, d: null, s: null, t: null });
      return;
    }
    if (op === OPCODE.identify) {
      this.identify(connection, frame.d);
      return;
    }
    if (op === OPCODE.resume) {
      if (this.holding) this.heldResumes.push({ connection, d: frame.d });
      else this.resume(connection, frame.d);
      return;
    }
    if (!OPCODE_NAMES.has(op)) {
      connection.ws.close(4001, "Unknown opcode");
      return;
    }
    if (!connection.session) connection.ws.close(4003, "Not authenticated");
  }

  private identify(connection: Connection, raw: unknown): void {
    const d = (raw ?? {}) as { token?: unknown; intents?: unknown; shard?: unknown };
    if (connection.session) {
      connection.ws.close(4005, "Already authenticated");
      return;
    }
    if (d.token !== this.host.token) {
      connection.ws.close(4004, "Authentication failed");
      return;
    }
    const intents = BigInt(typeof d.intents === "number" ? d.intents : 0);
    if ((intents & INTENT.messageContent) !== 0n && !this.host.messageContentIntentAllowed) {
      connection.ws.close(4014, "Disallowed intent(s)");
      return;
    }
    const shard: [number, number] = Array.isArray(d.shard)
      ? [Number(d.shard[0]), Number(d.shard[1])]
      : [0, 1];
    const session: GatewaySession = {
      id: randomBytes(16).toString("hex"),
      seq: 0,
      intents,
      shard,
      events: [],
      alive: true,
      connection,
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    const resumeUrl = `${this.host.origin().replace(/^http/, "ws")}${this.resumePath}`;
    this.push(session, "READY", this.host.readyPayload(session.id, resumeUrl, shard));
    if ((intents & INTENT.guilds) !== 0n)
      for (const guild of this.host.guildCreates()) this.push(session, "GUILD_CREATE", guild);
    this.notifyReady();
  }

  private resume(connection: Connection, raw: unknown): void {
    const d = (raw ?? {}) as { token?: unknown; session_id?: unknown; seq?: unknown };
    if (d.token !== this.host.token) {
      connection.ws.close(4004, "Authentication failed");
      return;
    }
    const session = typeof d.session_id === "string" ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === "number" ? d.seq : -1;
    if (!session?.alive || seq > session.seq) {
      this.send(connection, { op: OPCODE.invalidSession, d: false, s: null, t: null });
      return;
    }
    session.connection?.ws.terminate();
    session.connection = connection;
    connection.session = session;
    for (const event of session.events)
      if (event.s > seq) this.send(connection, { op: OPCODE.dispatch, ...event });
    this.send(connection, { op: OPCODE.dispatch, s: session.seq, t: "RESUMED", d: { _trace: ["emulator"] } });
    this.notifyReady();
  }

  private releaseResumes(): void {
    this.holding = false;
    for (const held of this.heldResumes.splice(0)) {
      if (this.connections.has(held.connection)) this.resume(held.connection, held.d);
    }
  }

  /** Numbers the event in its session and sends it when the session is connected. */
  private push(session: GatewaySession, t: string, d: unknown): boolean {
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.events.push(event);
    const connection = session.connection;
    if (!connection || connection.ws.readyState !== connection.ws.OPEN) return false;
    this.send(connection, { op: OPCODE.dispatch, ...event });
    return true;
  }

  private send(connection: Connection, payload: Record<string, unknown>): void {
    if (connection.ws.readyState === connection.ws.OPEN) connection.ws.send(JSON.stringify(payload));
  }

  private notifyReady(): void {
    for (const waiter of [...this.readyWaiters]) waiter();
  }
}

function redactToken(d: unknown): unknown {
  if (typeof d !== "object" || d === null || !("token" in d)) return d;
  return { ...(d as Record<string, unknown>), token: "[redacted]" };
}
