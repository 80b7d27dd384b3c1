import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

/**
 * An application's Ed25519 key pair as Discord holds it, for tests: the public key in the Developer
 * Portal's form (64 hex digits, DISCORD_PUBLIC_KEY), and signed requests made with the private key.
 */
export interface TestApplicationKey {
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function applicationKey(): TestApplicationKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const x = publicKey.export({ format: "jwk" }).x as string;
  return { publicKeyHex: Buffer.from(x, "base64url").toString("hex"), privateKey };
}

export function unixSeconds(offsetSeconds = 0): string {
  return String(Math.floor(Date.now() / 1000) + offsetSeconds);
}

/** The two headers Discord sends: the signature of timestamp + body, and the timestamp. */
export function signatureHeaders(
  key: KeyObject,
  body: string | Buffer,
  timestamp = unixSeconds(),
): Record<string, string> {
  const signed = Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]);
  return {
    "x-signature-ed25519": sign(null, signed, key).toString("hex"),
    "x-signature-timestamp": timestamp,
  };
}

export function postInteraction(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}
