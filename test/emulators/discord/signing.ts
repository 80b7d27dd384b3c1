import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

/**
 * The application's Ed25519 key pair: Discord signs every HTTP interaction with the private key
 * (X-Signature-Ed25519 over timestamp + raw body); the bot verifies with the public key shown in the
 * Developer Portal as 64 hex characters (DISCORD_PUBLIC_KEY).
 */
export class InteractionSigner {
  private readonly privateKey: KeyObject;
  readonly publicKeyHex: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    this.publicKeyHex = Buffer.from(jwk.x ?? "", "base64url").toString("hex");
  }

  signatureHex(timestamp: string, body: string | Buffer): string {
    const message = Buffer.concat([
      Buffer.from(timestamp, "utf8"),
      Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"),
    ]);
    return sign(null, message, this.privateKey).toString("hex");
  }
}

/** How a delivery is signed: correctly, with a signature over other bytes, or not at all. */
export type SignatureMode = "valid" | "bad" | "missing";

export interface SigningOptions {
  signature?: SignatureMode;
  /** Unix seconds for X-Signature-Timestamp (default now), e.g. an old one for a replay test. */
  timestamp?: number;
}

export function signedHeaders(
  signer: InteractionSigner,
  body: string,
  options: SigningOptions = {},
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Discord-Interactions/1.0 (+https://discord.com)",
  };
  const mode = options.signature ?? "valid";
  if (mode === "missing") return headers;
  headers["x-signature-timestamp"] = timestamp;
  headers["x-signature-ed25519"] = signer.signatureHex(timestamp, mode === "bad" ? `${body} ` : body);
  return headers;
}
