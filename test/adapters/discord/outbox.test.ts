import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DiscordAPIError } from "discord.js";
import { describe, expect, it } from "vitest";
import { discordFileReader, isDiscordFileUrl } from "../../../src/adapters/discord/files.js";
import { discordErrorCode, requestOf, withoutPings } from "../../../src/adapters/discord/outbox.js";
import { InteractionTokens } from "../../../src/adapters/discord/tokens.js";
import { readAttachments } from "../../../src/delivery/index.js";
import { silentLogger } from "../../../src/log.js";
import type { RenderedFile } from "../../../src/renderers/index.js";

const file = (filename: string): RenderedFile => ({
  filename,
  mimeType: filename.endsWith(".png") ? "image/png" : "application/json",
  data: Buffer.from(filename),
});

describe("Discord request bodies", () => {
  it("send the files a message names with it, renumbered for the request, and never allow a ping", () => {
    const files = [file("report.pdf"), file("graph.png"), file("graph.json")];
    const { body, files: raw } = requestOf(
      {
        embeds: [{ title: "graph", image: { url: "attachment://graph.png" } }],
        attachments: [
          { id: 1, filename: "graph.png", description: "the plan" },
          { id: 2, filename: "graph.json" },
        ],
        allowed_mentions: { parse: [] },
      },
      files,
    );
    expect(body.attachments).toEqual([
      { id: 0, filename: "graph.png", description: "the plan" },
      { id: 1, filename: "graph.json" },
    ]);
    expect(raw?.map((part) => [part.name, part.contentType])).toEqual([
      ["graph.png", "image/png"],
      ["graph.json", "application/json"],
    ]);
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // Without its files a message names no attachments (Discord would refuse them).
    expect(
      requestOf({ content: "x", attachments: [{ id: 0, filename: "a" }], allowed_mentions: { parse: [] } })
        .body,
    ).toEqual({ content: "x", allowed_mentions: { parse: [], replied_user: false } });
    const forged = { content: "@everyone", allowed_mentions: { parse: ["everyone"] } } as never;
    expect(requestOf(forged).body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("give message-carrying interaction responses the same no-pings rule, and leave modals alone", () => {
    expect(
      withoutPings({ type: 4, data: { content: "hi", allowed_mentions: { parse: ["users"] } } } as never),
    ).toEqual({
      type: 4,
      data: { content: "hi", allowed_mentions: { parse: [], replied_user: false } },
    });
    expect(withoutPings({ type: 6 })).toEqual({ type: 6 });
    const modal = { type: 9, data: { custom_id: "m", title: "t", components: [] } } as never;
    expect(withoutPings(modal)).toBe(modal);
  });

  it("name failures by Discord's code", () => {
    const error = new DiscordAPIError(
      { code: 50013, message: "Missing Permissions" },
      50013,
      403,
      "POST",
      "/x",
      {},
    );
    expect(discordErrorCode(error)).toBe("50013");
    expect(discordErrorCode(Object.assign(new Error("t"), { name: "AbortError" }))).toBe("timeout");
    expect(discordErrorCode("what")).toBe("unknown");
  });
});

describe("interaction tokens", () => {
  it("edit through a message's webhook while its token lives, never after", () => {
    let now = 1_000;
    const tokens = new InteractionTokens(() => now);
    tokens.remember("m1", { applicationId: "a", token: "t", ref: "@original", expiresAt: 2_000 });
    expect(tokens.live("m1")?.token).toBe("t");
    now = 2_000;
    expect(tokens.live("m1")).toBeUndefined();
    expect(tokens.live("m2")).toBeUndefined();
  });
});

describe("Discord attachments", () => {
  it("come only from Discord's CDN (or DISCORD_API_URL's origin) and are fetched with no token", async () => {
    expect(isDiscordFileUrl("https://cdn.discordapp.com/attachments/1/2/a.csv", undefined)).toBe(true);
    expect(isDiscordFileUrl("https://media.discordapp.net/attachments/1/2/a.png", undefined)).toBe(true);
    expect(isDiscordFileUrl("http://cdn.discordapp.com/a.csv", undefined)).toBe(false);
    expect(isDiscordFileUrl("https://evil.example/a.csv", undefined)).toBe(false);

    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(200, { "content-type": "text/csv" });
      response.end("a,b\n1,2\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const reader = discordFileReader({ apiUrl: `${origin}/api`, log: silentLogger(), timeoutMs: 5_000 });
      const ref = (url: string) => ({
        id: "1",
        name: "a.csv",
        mimeType: "text/csv",
        fileType: undefined,
        size: 8,
        downloadUrl: url,
      });
      const [ours, stranger] = await readAttachments(reader, [
        ref(`${origin}/attachments/1/2/a.csv`),
        ref("http://127.0.0.2:9/a.csv"),
      ]);
      expect(ours?.text).toBe("a,b\n1,2\n");
      expect(stranger?.text).toBeUndefined();
      expect(seen).toEqual([undefined]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
