import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mayCarryToken } from "../../src/adapters/slack/files.js";
import { DownloadError, fetchWithToken } from "../../src/delivery/attachment-download.js";

/**
 * Two loopback servers: the platform's file host (SLACK_API_URL's origin, so the token may go there) and
 * a stranger on another port that a redirect points at. What the stranger receives is what a hostile
 * redirect target would.
 */
interface Seen {
  path: string;
  authorization: string | undefined;
}

function listen(
  handle: (path: string, headers: IncomingHttpHeaders) => [number, Record<string, string>, string],
) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? "/";
    seen.push({ path, authorization: request.headers.authorization });
    const [status, headers, body] = handle(path, request.headers);
    response.writeHead(status, headers).end(body);
  });
  return { server, seen };
}

const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe("attachment downloads and redirects", () => {
  const TOKEN = "xoxb-redirect-test-token";
  let platform: ReturnType<typeof listen>;
  let stranger: ReturnType<typeof listen>;
  let apiUrl = "";

  beforeAll(async () => {
    stranger = listen(() => [200, { "content-type": "text/plain" }, "from elsewhere"]);
    platform = listen((path) => {
      if (path === "/files/away") return [302, { location: `${origin(stranger.server)}/steal` }, ""];
      if (path === "/files/inside") return [301, { location: "/files/final" }, ""];
      if (path === "/files/loop") return [302, { location: "/files/loop" }, ""];
      if (path === "/files/ftp") return [302, { location: "ftp://127.0.0.1/x" }, ""];
      return [200, { "content-type": "text/plain" }, "the file"];
    });
    await Promise.all(
      [platform.server, stranger.server].map(
        (server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)),
      ),
    );
    apiUrl = `${origin(platform.server)}/api/`;
  });
  afterAll(() => Promise.all([close(platform.server), close(stranger.server)]));

  const download = (path: string) =>
    fetchWithToken(
      `${origin(platform.server)}${path}`,
      { token: TOKEN, mayCarry: (url) => mayCarryToken(url, apiUrl) },
      5_000,
    );

  it("follows a redirect off the platform's hosts without the token", async () => {
    const response = await download("/files/away");
    expect(await response.text()).toBe("from elsewhere");
    expect(platform.seen.at(-1)).toEqual({ path: "/files/away", authorization: `Bearer ${TOKEN}` });
    expect(stranger.seen).toEqual([{ path: "/steal", authorization: undefined }]);
  });

  it("keeps the token on redirects within the platform's hosts", async () => {
    const response = await download("/files/inside");
    expect(await response.text()).toBe("the file");
    expect(platform.seen.slice(-2)).toEqual([
      { path: "/files/inside", authorization: `Bearer ${TOKEN}` },
      { path: "/files/final", authorization: `Bearer ${TOKEN}` },
    ]);
  });

  it("gives up on endless or non-HTTP redirects with a reason", async () => {
    const before = platform.seen.length;
    await expect(download("/files/loop")).rejects.toEqual(new DownloadError("too_many_redirects"));
    // The first request and five redirects: bounded.
    expect(platform.seen.length - before).toBe(6);
    await expect(download("/files/ftp")).rejects.toEqual(new DownloadError("bad_redirect"));
  });
});
