import { App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Logger } from "../../log.js";
import { secondsSince } from "../../metrics/index.js";
import type { HttpRoutes, MountedRoute } from "../http/index.js";
import type { ConnectionState } from "../types.js";
import { boltLogger } from "./bolt-logger.js";
import { EVENTS_PATH, type SlackSettings } from "./settings.js";

/**
 * The Bolt app over one of Bolt's own receivers: HTTPReceiver verifies signatures and timestamps (401
 * otherwise) and acknowledges, mounted on the process's HTTP server rather than listening itself;
 * SocketModeReceiver acknowledges envelopes. Every Web API call, including Socket Mode's
 * apps.connections.open, goes to SLACK_API_URL when it is set.
 */
export interface BoltParts {
  app: App;
  /** Starts receiving: mounts the events endpoint (HTTP mode) or opens the socket. */
  start(): Promise<void>;
  stop(): Promise<void>;
  identity: { botUserId: string; botId: string; teamId: string };
  /** Socket Mode: whether the socket is connected now; HTTP mode: always up (Slack calls us). */
  connection(): ConnectionState;
}

export interface BoltOptions {
  /** HTTP mode: where `POST /slack/events` is mounted (needed only when the app receives events). */
  http: HttpRoutes | undefined;
  retryConfig: webApi.RetryOptions;
  /** Told how long each delivery took from its arrival to its acknowledgement. */
  onAck?: ((seconds: number) => void) | undefined;
}

export async function createBoltApp(
  settings: SlackSettings,
  log: Logger,
  options: BoltOptions,
): Promise<BoltParts> {
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: options.retryConfig,
    logger,
  };

  // auth.test first: a wrong token stops start-up with Slack's reason, and Bolt then needs no call of its own.
  // A few quick retries only: an unreachable Slack at start-up is reported in seconds, not minutes.
  const probe = new webApi.WebClient(settings.botToken, {
    ...clientOptions,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
  });
  const auth = await probe.auth.test().catch((error: unknown) => {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new Error(
      `Slack refused or did not answer auth.test (${reason}) at ${settings.apiUrl ?? "https://slack.com/api/"}: check SLACK_BOT_TOKEN and SLACK_API_URL`,
      { cause: error },
    );
  });
  const identity = {
    botUserId: String(auth.user_id ?? ""),
    botId: String(auth.bot_id ?? ""),
    teamId: String(auth.team_id ?? ""),
  };

  const newApp = (receiver: HTTPReceiver | SocketModeReceiver) =>
    new App({
      token: settings.botToken,
      botId: identity.botId,
      botUserId: identity.botUserId,
      receiver,
      logger,
      clientOptions,
      // Conversation state lives in the store; Bolt's in-memory store would only cost a lookup per event.
      convoStore: false,
    });

  if (settings.mode === "socket") {
    const receiver = new SocketModeReceiver({
      appToken: settings.appToken,
      logger,
      autoReconnectEnabled: true,
      installerOptions: { clientOptions: settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {} },
    });
    const app = ackEventsOnceKept(newApp(receiver), log, options.onAck);
    // Bolt reconnects by itself (autoReconnectEnabled); the socket's state is what readiness reports.
    let socket: ConnectionState = { up: false, reason: "Socket Mode not connected yet" };
    receiver.client.on("connected", () => {
      socket = { up: true };
    });
    receiver.client.on("reconnecting", () => {
      socket = { up: false, reason: "Socket Mode reconnecting" };
    });
    receiver.client.on("disconnected", () => {
      socket = { up: false, reason: "Socket Mode disconnected" };
    });
    return {
      app,
      identity,
      connection: () => socket,
      start: async () => {
        await app.start();
      },
      // SocketModeReceiver.stop() does not wait for the socket to close; the client's disconnect does.
      stop: () => receiver.client.disconnect(),
    };
  }

  const http = options.http;
  const receiver = new HTTPReceiver({
    signingSecret: settings.signingSecret,
    endpoints: EVENTS_PATH,
    logger,
    processBeforeResponse: false,
    // The host refuses a declared Content-Length over its cap; Bolt caps a chunked body at the same figure.
    ...(http ? { bodyLimit: http.bodyLimitBytes } : {}),
  });
  const app = ackEventsOnceKept(newApp(receiver), log, options.onAck);
  let mounted: MountedRoute | undefined;
  return {
    app,
    identity,
    connection: () => ({ up: true }),
    start: async () => {
      if (!http) throw new Error("Slack HTTP mode needs an HTTP server to mount /slack/events on");
      // Bolt's own listener on the shared server: it still reads the raw body, verifies and acks.
      mounted = http.node("POST", EVENTS_PATH, receiver.requestListener);
    },
    stop: async () => {
      mounted?.unmount();
      mounted = undefined;
    },
  };
}

/**
 * Bolt acknowledges an Events API delivery before any listener runs, so a process dying between the
 * ack and keeping the request would lose it (Slack does not redeliver an acked event). Here the ack
 * waits for the listeners, which claim the event and queue its job in one transaction: an acked
 * event is never lost. Other deliveries (buttons, commands) ack as their listeners say.
 *
 * Bolt also reads fields of its own before any listener runs (`user.id`, `container.channel_id`, each
 * authorization) and throws on a delivery of another shape: that would be a 500, or an error logged
 * after the ack. Such a delivery, and one no listener takes, is acknowledged empty and logged instead.
 */
function ackEventsOnceKept(app: App, log: Logger, onAck: ((seconds: number) => void) | undefined): App {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (received) => {
    const arrived = performance.now();
    let timed = false;
    const ack = async (body?: Parameters<typeof received.ack>[0]) => {
      if (!timed) onAck?.(secondsSince(arrived));
      timed = true;
      await received.ack(body);
    };
    const type = (received.body as { type?: unknown }).type;
    const keptFirst = type === "event_callback";
    let acked = false;
    let response: Parameters<typeof received.ack>[0];
    try {
      await processEvent({
        ...received,
        ack: async (body) => {
          acked = true;
          if (keptFirst) response = body;
          else await ack(body);
        },
      });
    } catch (error) {
      log.warn({ err: error, type: String(type) }, "Slack delivery of an unexpected shape; ignored");
    } finally {
      if (keptFirst || !acked) await ack(response);
    }
  };
  return app;
}
