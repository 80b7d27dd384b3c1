import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Signed links to a run's page (`OCTO_PUBLIC_URL/runs/{token}`). A token names one run of one thread and
 * when it stops being valid; it is an HMAC-SHA256 over exactly those facts, so holding a link shows that
 * run and nothing else, until it expires. Nothing is stored: any replica with the same secret can check
 * a link another one made.
 *
 * Format: `base64url(JSON payload) "." base64url(HMAC-SHA256(secret, "octo-run-link.v1." + payload))`.
 * The MAC is checked (in constant time) before a byte of the payload is parsed.
 */

export interface RunLinkClaims {
  threadKey: string;
  runId: string;
  /** Seconds since the epoch after which the link is refused. */
  expiresAt: number;
}

export type RunLinkCheck =
  | { ok: true; claims: RunLinkClaims }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

/** Binds the MAC to this use and version, so no other HMAC made with the same secret passes for a link. */
const CONTEXT = "octo-run-link.v1.";
const MAC_BYTES = 32;
/** Far more than a thread key and run id take; a longer token is refused before any work. */
const MAX_TOKEN_CHARS = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const PayloadSchema = z.strictObject({
  v: z.literal(1),
  t: z.string().min(1),
  r: z.string().min(1),
  e: z.number().int().positive(),
});

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(CONTEXT).update(payload).digest();
}

export function signRunLink(secret: string, claims: RunLinkClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ v: 1, t: claims.threadKey, r: claims.runId, e: claims.expiresAt }),
  ).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

/** What a token claims, if this secret signed it and it has not expired at `nowSeconds`. */
export function verifyRunLink(secret: string, token: string, nowSeconds: number): RunLinkCheck {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [payload = "", signature = ""] = parts;
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return { ok: false, reason: "malformed" };
  const given = Buffer.from(signature, "base64url");
  // Canonical only: base64url's spare bits would otherwise let four spellings of one MAC pass.
  if (given.length !== MAC_BYTES || given.toString("base64url") !== signature)
    return { ok: false, reason: "malformed" };
  if (!timingSafeEqual(given, mac(secret, payload))) return { ok: false, reason: "bad_signature" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    // Signed by us yet unreadable: only a change of format could do it; refused all the same.
    return { ok: false, reason: "malformed" };
  }
  const parsed = PayloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const claims = { threadKey: parsed.data.t, runId: parsed.data.r, expiresAt: parsed.data.e };
  if (nowSeconds >= claims.expiresAt) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

/** The path of a run's page under the public base URL; the viewer serves the same. */
export const RUN_PAGE_PREFIX = "/runs/";

export interface RunLinkSettings {
  /** OCTO_PUBLIC_URL: the base people's browsers reach the bot at. */
  publicUrl: string;
  /** OCTO_LINK_SECRET. */
  secret: string;
  /** OCTO_LINK_TTL, in seconds. */
  ttlSeconds: number;
}

/** Makes the link to a run's page, valid for the configured time from now. */
export type RunLinkMaker = (threadKey: string, runId: string) => string;

export function runLinkMaker(settings: RunLinkSettings, now: () => number = () => Date.now()): RunLinkMaker {
  const base = settings.publicUrl.replace(/\/+$/, "");
  return (threadKey, runId) => {
    const expiresAt = Math.floor(now() / 1000) + settings.ttlSeconds;
    return `${base}${RUN_PAGE_PREFIX}${signRunLink(settings.secret, { threadKey, runId, expiresAt })}`;
  };
}

/** The link settings from the configuration, when links are on (OCTO_PUBLIC_URL and OCTO_LINK_SECRET set). */
export function runLinkSettings(config: {
  OCTO_PUBLIC_URL?: string | undefined;
  OCTO_LINK_SECRET?: string | undefined;
  OCTO_LINK_TTL: number;
}): RunLinkSettings | undefined {
  if (!config.OCTO_PUBLIC_URL || !config.OCTO_LINK_SECRET) return undefined;
  return {
    publicUrl: config.OCTO_PUBLIC_URL,
    secret: config.OCTO_LINK_SECRET,
    ttlSeconds: config.OCTO_LINK_TTL,
  };
}

/** The configured link maker, or undefined when links are off. */
export function runLinksFromConfig(config: Parameters<typeof runLinkSettings>[0]): RunLinkMaker | undefined {
  const settings = runLinkSettings(config);
  return settings ? runLinkMaker(settings) : undefined;
}
