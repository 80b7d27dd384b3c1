import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isConfigError, loadConfig } from "../../src/config.js";
import { runLinkMaker, runLinkSettings, signRunLink, verifyRunLink } from "../../src/delivery/run-links.js";

const SECRET = "s".repeat(32);
const NOW = 1_800_000_000;
const claims = { threadKey: "slack:T1:C1:1700000000.000100", runId: "run_0f3e", expiresAt: NOW + 60 };

describe("signed run links", () => {
  it("names one run of one thread until it expires", () => {
    const token = signRunLink(SECRET, claims);
    expect(verifyRunLink(SECRET, token, NOW)).toEqual({ ok: true, claims });
    expect(verifyRunLink(SECRET, token, NOW + 59).ok).toBe(true);
    expect(verifyRunLink(SECRET, token, NOW + 60)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token signed with another secret", () => {
    const token = signRunLink("o".repeat(32), claims);
    expect(verifyRunLink(SECRET, token, NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a payload changed to name another run or a later expiry, keeping the signature", () => {
    const token = signRunLink(SECRET, claims);
    const signature = token.split(".")[1];
    for (const forged of [
      { ...claims, runId: "run_other" },
      { ...claims, threadKey: "slack:T1:C2:1" },
      { ...claims, expiresAt: NOW + 10_000_000 },
    ]) {
      const payload = signRunLink(SECRET, forged).split(".")[0];
      expect(verifyRunLink(SECRET, `${payload}.${signature}`, NOW)).toEqual({
        ok: false,
        reason: "bad_signature",
      });
    }
  });

  it("refuses every one-character change of a token", () => {
    const token = signRunLink(SECRET, claims);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (index, char) => {
        fc.pre(token[index] !== char);
        const changed = `${token.slice(0, index)}${char}${token.slice(index + 1)}`;
        expect(verifyRunLink(SECRET, changed, NOW).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it("refuses malformed tokens without throwing", () => {
    const token = signRunLink(SECRET, claims);
    for (const bad of [
      "",
      ".",
      "abc",
      `${token}.x`,
      token.replace(".", ""),
      `${token.split(".")[0]}.${"A".repeat(42)}`,
      `${token}%00`,
      "a".repeat(5000),
      "한국어.토큰",
    ])
      expect(verifyRunLink(SECRET, bad, NOW)).toMatchObject({ ok: false, reason: "malformed" });
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        expect(verifyRunLink(SECRET, junk, NOW).ok).toBe(false);
      }),
    );
  });

  it("refuses a payload we signed that is not a link's (another version or shape)", () => {
    // Only a future format could make one; the MAC matches, the payload schema does not.
    const payload = Buffer.from(JSON.stringify({ v: 2, t: "x", r: "y", e: NOW + 60 })).toString("base64url");
    const good = signRunLink(SECRET, claims);
    expect(verifyRunLink(SECRET, good, NOW).ok).toBe(true);
    const mac = createHmac("sha256", SECRET).update("octo-run-link.v1.").update(payload).digest("base64url");
    expect(verifyRunLink(SECRET, `${payload}.${mac}`, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("makes links under the public URL that expire after the configured time", () => {
    const settings = { publicUrl: "https://octo.example.com/", secret: SECRET, ttlSeconds: 3600 };
    const make = runLinkMaker(settings, () => NOW * 1000);
    const link = make(claims.threadKey, claims.runId);
    expect(link.startsWith("https://octo.example.com/runs/")).toBe(true);
    const token = link.slice("https://octo.example.com/runs/".length);
    expect(verifyRunLink(SECRET, token, NOW)).toEqual({
      ok: true,
      claims: { threadKey: claims.threadKey, runId: claims.runId, expiresAt: NOW + 3600 },
    });
    // Discord's link buttons take at most 512 characters; the longest base the configuration allows fits.
    const longest = runLinkMaker({ ...settings, publicUrl: `https://${"a".repeat(180)}.example` });
    expect(
      longest("discord:123456789012345678:123456789012345678:123456789012345678", claims.runId).length,
    ).toBeLessThan(512);
  });
});

describe("link configuration", () => {
  it("is off unless both OCTO_PUBLIC_URL and OCTO_LINK_SECRET are set; TTL defaults to 7 days", () => {
    expect(runLinkSettings(loadConfig({}))).toBeUndefined();
    expect(runLinkSettings(loadConfig({ OCTO_LINK_SECRET: SECRET }))).toBeUndefined();
    const config = loadConfig({ OCTO_PUBLIC_URL: "https://octo.example.com", OCTO_LINK_SECRET: SECRET });
    expect(runLinkSettings(config)).toEqual({
      publicUrl: "https://octo.example.com",
      secret: SECRET,
      ttlSeconds: 7 * 24 * 3600,
    });
    expect(config.secrets).toContain(SECRET);
    expect(loadConfig({ OCTO_LINK_TTL: "120" }).OCTO_LINK_TTL).toBe(120);
  });

  it("refuses a public URL without a secret, a short secret and a non-http URL, naming the variable", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ OCTO_PUBLIC_URL: "https://octo.example.com" }, /OCTO_PUBLIC_URL: run links need OCTO_LINK_SECRET/],
      [{ OCTO_LINK_SECRET: "short" }, /OCTO_LINK_SECRET: must be at least 32 characters/],
      [
        { OCTO_PUBLIC_URL: "ftp://octo.example.com", OCTO_LINK_SECRET: SECRET },
        /OCTO_PUBLIC_URL: must be an http/,
      ],
      [{ OCTO_LINK_TTL: "5" }, /OCTO_LINK_TTL: OCTO_LINK_TTL must be at least 60/],
    ];
    for (const [env, message] of cases) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(message);
      // The secret's value never appears in the message.
      expect(String((error as Error).message)).not.toContain("short");
    }
  });
});
