import { signedHeaders } from "./signing.js";
import type { SocketModeServer } from "./socket-mode.js";

/**
 * Sends what Slack sends, over either transport, and reports how the app acknowledged it. The same test
 * can therefore run against HTTP mode and Socket Mode.
 */
export interface DeliveryResult {
  /** HTTP status (Socket Mode: 200 once the envelope was acknowledged). */
  status: number;
  /** Parsed response body or acknowledgement payload; undefined when empty. */
  body: unknown;
}

export interface EventDeliveryOptions {
  /** Sent as X-Slack-Retry-Num (HTTP) or retry_attempt (Socket Mode). */
  retryNum?: number;
  retryReason?: string;
}

export interface SlackDelivery {
  readonly transport: "http" | "socket";
  event(body: object, options?: EventDeliveryOptions): Promise<DeliveryResult>;
  command(fields: Record<string, string>): Promise<DeliveryResult>;
  interaction(payload: object): Promise<DeliveryResult>;
}

export interface HttpDeliveryOptions {
  /** Per-request timeout. */
  timeoutMs?: number;
}

/** Ways to spoil a request's signature, for the verification tests. */
export interface Tampering {
  /** Sign with this secret instead of the real one. */
  secret?: string;
  /** Pretend the request was signed at this time. */
  signedAtMs?: number;
  /** Send no signature headers at all. */
  unsigned?: boolean;
}

export class HttpDelivery implements SlackDelivery {
  readonly transport = "http";

  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
    private readonly options: HttpDeliveryOptions = {},
  ) {}

  event(body: object, options: EventDeliveryOptions & { tamper?: Tampering } = {}): Promise<DeliveryResult> {
    const headers: Record<string, string> = {};
    if (options.retryNum !== undefined) {
      headers["x-slack-retry-num"] = String(options.retryNum);
      headers["x-slack-retry-reason"] = options.retryReason ?? "http_timeout";
    }
    return this.post(JSON.stringify(body), "application/json", headers, options.tamper);
  }

  command(fields: Record<string, string>, options: { tamper?: Tampering } = {}): Promise<DeliveryResult> {
    return this.post(
      new URLSearchParams(fields).toString(),
      "application/x-www-form-urlencoded",
      {},
      options.tamper,
    );
  }

  interaction(payload: object, options: { tamper?: Tampering } = {}): Promise<DeliveryResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, "application/x-www-form-urlencoded", {}, options.tamper);
  }

  private async post(
    rawBody: string,
    contentType: string,
    extra: Record<string, string>,
    tamper: Tampering = {},
  ): Promise<DeliveryResult> {
    const signature = tamper.unsigned
      ? {}
      : signedHeaders(tamper.secret ?? this.signingSecret, rawBody, tamper.signedAtMs ?? Date.now());
    const response = await fetch(this.appUrl, {
      method: "POST",
      headers: { "content-type": contentType, ...signature, ...extra },
      body: rawBody,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let body: unknown;
    if (text.length > 0) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    return { status: response.status, body };
  }
}

export class SocketDelivery implements SlackDelivery {
  readonly transport = "socket";

  /** `to`: the label of the one connection to deliver to; undefined spreads envelopes over all of them. */
  constructor(
    private readonly server: SocketModeServer,
    private readonly to?: string,
  ) {}

  async event(body: object, options: EventDeliveryOptions = {}): Promise<DeliveryResult> {
    const ack = await this.server.send("events_api", body, {
      ...(options.retryNum === undefined ? {} : { retryAttempt: options.retryNum }),
      ...(options.retryReason === undefined ? {} : { retryReason: options.retryReason }),
      ...this.target(),
    });
    return { status: 200, body: emptyToUndefined(ack.payload) };
  }

  async command(fields: Record<string, string>): Promise<DeliveryResult> {
    const ack = await this.server.send("slash_commands", fields, this.target());
    return { status: 200, body: emptyToUndefined(ack.payload) };
  }

  async interaction(payload: object): Promise<DeliveryResult> {
    const ack = await this.server.send("interactive", payload, this.target());
    return { status: 200, body: emptyToUndefined(ack.payload) };
  }

  private target(): { to?: string } {
    return this.to === undefined ? {} : { to: this.to };
  }
}

function emptyToUndefined(payload: unknown): unknown {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload === "object" && Object.keys(payload).length === 0) return undefined;
  return payload;
}
