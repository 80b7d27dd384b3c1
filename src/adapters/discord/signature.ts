import { createPublicKey, type KeyObject, verify } from "node:crypto";

/**
 * Discord signs every HTTP interaction with the application's Ed25519 key: `X-Signature-Ed25519` is the
 * hex signature of `X-Signature-Timestamp` followed by the raw body. Node verifies it on its own; the
 * raw 32-byte public key becomes a key object through its SPKI DER form.
 */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export const SIGNATURE_HEADER = "x-signature-ed25519";
export const TIMESTAMP_HEADER = "x-signature-timestamp";
/** Discord gives no figure; five minutes either way, as Slack's signed requests use. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;

export function ed25519PublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new Error("DISCORD_PUBLIC_KEY must be the application's public key: 64 hex digits");
  }
  const der = Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]);
  return createPublicKey({ key: der, format: "der", type: "spki" });
}

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: "missing_headers" | "malformed_headers" | "stale_timestamp" | "bad_signature" };

export interface SignedRequest {
  signature: string | null;
  timestamp: string | null;
  body: Buffer;
}

export function checkSignature(
  key: KeyObject,
  request: SignedRequest,
  options: { nowMs: number; maxSkewSeconds: number },
): SignatureVerdict {
  const { signature, timestamp, body } = request;
  if (!signature || !timestamp) return { ok: false, reason: "missing_headers" };
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: "malformed_headers" };
  }
  if (Math.abs(options.nowMs / 1000 - Number(timestamp)) > options.maxSkewSeconds) {
    return { ok: false, reason: "stale_timestamp" };
  }
  // Bytes, not a decoded string: a body that is not valid UTF-8 must fail, not be "repaired" and pass.
  const signed = Buffer.concat([Buffer.from(timestamp, "ascii"), body]);
  const valid = verify(null, signed, key, Buffer.from(signature, "hex"));
  return valid ? { ok: true } : { ok: false, reason: "bad_signature" };
}
