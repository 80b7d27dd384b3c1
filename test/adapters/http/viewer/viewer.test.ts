import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { HttpHost } from "../../../../src/adapters/http/index.js";
import {
  CONTENT_SECURITY_POLICY,
  type RunPageView,
  RunViewer,
} from "../../../../src/adapters/http/viewer/index.js";
import type { RunEvent } from "../../../../src/conversations/events.js";
import { signRunLink } from "../../../../src/delivery/run-links.js";
import { fixtureEvents } from "../../../renderers/fixtures.js";
import { capturingLogger, type LogLine } from "../../../support/logs.js";
import { MemoryRunFeed } from "../../../support/memory-feed.js";

const SECRET = "viewer-test-secret-of-32-characters!";
const events = fixtureEvents("ko");
const first = events[0] as RunEvent;
const THREAD = first.threadKey;
const RUN = first.runId;

/** Reads Server-Sent Events off a response until `until` says stop, or the stream ends. */
async function readStates(
  response: Response,
  until: (states: RunPageView[]) => boolean = () => false,
): Promise<{ states: RunPageView[]; ids: string[]; ended: boolean; raw: string }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const states: RunPageView[] = [];
  const ids: string[] = [];
  let buffer = "";
  let raw = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { states, ids, ended: true, raw };
    const text = decoder.decode(value, { stream: true });
    raw += text;
    buffer += text;
    let at = buffer.indexOf("\n\n");
    while (at >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const lines = block.split("\n");
      const data = lines.find((line) => line.startsWith("data: "));
      const id = lines.find((line) => line.startsWith("id: "));
      if (data && lines.includes("event: state")) {
        states.push(JSON.parse(data.slice(6)) as RunPageView);
        ids.push(id?.slice(4) ?? "");
      }
      at = buffer.indexOf("\n\n");
    }
    if (until(states)) {
      await reader.cancel();
      return { states, ids, ended: false, raw };
    }
  }
}

describe("the run viewer's routes", () => {
  let host: HttpHost | undefined;
  let viewer: RunViewer | undefined;
  const logs: LogLine[] = [];
  let clock = Date.parse("2026-12-01T00:00:00Z");

  const start = async (feed: MemoryRunFeed, options: { maxStreams?: number } = {}) => {
    logs.length = 0;
    const logger = capturingLogger(logs);
    host = new HttpHost({ host: "127.0.0.1", port: 0, logger });
    viewer = new RunViewer({
      routes: host.routes,
      feed,
      secret: SECRET,
      logger,
      now: () => clock,
      keepAliveMs: 60_000,
      ...options,
    });
    await viewer.start();
    return host.listen();
  };
  const token = (over: Partial<{ threadKey: string; runId: string; expiresAt: number }> = {}) =>
    signRunLink(SECRET, {
      threadKey: THREAD,
      runId: RUN,
      expiresAt: Math.floor(clock / 1000) + 3600,
      ...over,
    });

  afterEach(async () => {
    await viewer?.stop();
    await host?.close();
    host = undefined;
    viewer = undefined;
  });

  it("serves a valid link's page with a strict CSP and nothing of the conversation in it", async () => {
    const feed = new MemoryRunFeed();
    for (const event of events) feed.append(event);
    const base = await start(feed);
    const link = token();
    const response = await fetch(`${base}/runs/${link}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; " +
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(response.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    // No inline script or style: the policy would refuse them, and nothing of the run is in the shell.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
    expect(html).not.toContain(THREAD);
    expect(html).not.toContain("관련 법령");
    expect(html).toContain(`data-events="${link}/events"`);
    for (const asset of ["viewer.css", "cytoscape.min.js", "cytoscape-dagre.min.js", "viewer.js"])
      expect(html).toMatch(new RegExp(`"\\.\\./viewer/assets/${asset.replace(".", "\\.")}\\?v=[\\w-]{16}"`));
  });

  it("answers 403 with nothing of the conversation for tampered, malformed, foreign and expired links", async () => {
    const feed = new MemoryRunFeed();
    for (const event of events) feed.append(event);
    const base = await start(feed);
    const good = token();
    const [payload, signature] = good.split(".") as [string, string];
    const forged = signRunLink("another-secret-that-is-32-chars-long", {
      threadKey: THREAD,
      runId: RUN,
      expiresAt: Math.floor(clock / 1000) + 3600,
    });
    const swapped = `${token({ runId: "run_other" }).split(".")[0]}.${signature}`;
    const flipped = `${payload}.${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    const expired = token({ expiresAt: Math.floor(clock / 1000) - 1 });
    for (const bad of [forged, swapped, flipped, expired, "nonsense", `${good}x`, "%E0%A4%A"]) {
      const page = await fetch(`${base}/runs/${bad}`);
      expect(page.status, bad).toBe(403);
      expect(page.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      const html = await page.text();
      expect(html).toContain("This link is not valid or has expired.");
      expect(html).toContain("이 링크는 유효하지 않거나 만료되었습니다.");
      expect(html).not.toContain(THREAD);
      expect(html).not.toContain("관련 법령");
      const stream = await fetch(`${base}/runs/${bad}/events`);
      expect(stream.status).toBe(403);
      expect(await stream.text()).toBe("forbidden");
    }
    // The reason is logged, the token never is.
    const refusals = logs.filter((line) => line.msg === "run link refused");
    expect(refusals.map((line) => line.reason)).toEqual(
      expect.arrayContaining(["bad_signature", "expired", "malformed"]),
    );
    expect(JSON.stringify(logs)).not.toContain(signature);
    // A link valid now stops working once its time is up.
    expect((await fetch(`${base}/runs/${good}`)).status).toBe(200);
    clock += 3601_000;
    expect((await fetch(`${base}/runs/${good}`)).status).toBe(403);
  });

  it("serves the assets itself, cached by content hash, compressed when asked, 304 when unchanged", async () => {
    const base = await start(new MemoryRunFeed());
    const html = await (await fetch(`${base}/runs/${token()}`)).text();
    const scriptUrl = /src="\.\.\/viewer\/assets\/(cytoscape\.min\.js\?v=[\w-]+)"/.exec(html)?.[1];
    const script = await fetch(`${base}/viewer/assets/${scriptUrl}`, {
      headers: { "accept-encoding": "gzip" },
    });
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    expect(script.headers.get("content-encoding")).toBe("gzip");
    expect((await script.text()).length).toBeGreaterThan(400_000);
    const etag = script.headers.get("etag") ?? "";
    const again = await fetch(`${base}/viewer/assets/cytoscape.min.js`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
    // Without the current hash, the browser checks back soon rather than keeping it for a year.
    const plain = await fetch(`${base}/viewer/assets/cytoscape.min.js`);
    expect(plain.headers.get("cache-control")).toBe("public, max-age=300");

    const css = await (await fetch(`${base}/viewer/assets/viewer.css`)).text();
    const fontUrl = /url\("(noto-sans-kr-400\.ttf\?v=[\w-]+)"\)/.exec(css)?.[1];
    expect(fontUrl).toBeDefined();
    const font = await fetch(`${base}/viewer/assets/${fontUrl}`);
    expect(font.headers.get("content-type")).toBe("font/ttf");
    expect(font.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    for (const name of ["cytoscape-dagre.min.js", "viewer.js"])
      expect((await fetch(`${base}/viewer/assets/${name}`)).status).toBe(200);
    for (const name of ["../../package.json", "secrets.txt", "viewer.ts"])
      expect((await fetch(`${base}/viewer/assets/${name}`)).status).toBe(404);
  });

  it("replays a finished run as one state and ends the stream", async () => {
    const feed = new MemoryRunFeed();
    for (const event of events) feed.append(event);
    const base = await start(feed);
    const response = await fetch(`${base}/runs/${token()}/events`);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const { states, ids, ended, raw } = await readStates(response);
    expect(ended).toBe(true);
    expect(raw.startsWith("retry: 3000\n\n")).toBe(true);
    expect(states).toHaveLength(1);
    expect(ids).toEqual([String(events.length)]);
    const [state] = states as [RunPageView];
    expect(state.done).toBe(true);
    expect(state.locale).toBe("ko");
    expect(state.steps.map((step) => [step.id, step.state])).toEqual([
      [1, "completed"],
      [2, "completed"],
      [3, "completed"],
      [4, "skipped"],
      [5, "failed"],
    ]);
    expect(state.answer).toBeTruthy();
    expect(viewer?.openStreams).toBe(0);
    expect(feed.following).toBe(0);
  });

  it("follows a run live: a state per logged event, only this run's, until the answer", async () => {
    const feed = new MemoryRunFeed();
    const [planning, plan, executing, ...rest] = events;
    feed.append(planning as RunEvent);
    const base = await start(feed);
    const response = await fetch(`${base}/runs/${token()}/events`);
    const reading = readStates(response);
    // Another run's and another thread's events are not this link's.
    feed.append({ ...(plan as RunEvent), runId: "run_other" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const event of [plan, executing] as RunEvent[]) feed.append(event);
    for (const event of rest) {
      if (event.type === "step_started" && event.step_id === 2)
        feed.append({ ...event, threadKey: "slack:T1:C9:1", runId: RUN });
      feed.append(event);
    }
    const { states, ended } = await reading;
    expect(ended).toBe(true);
    expect(states[0]?.steps).toEqual([]);
    expect(states[0]?.done).toBe(false);
    // Every state is whole; the step's node changes colour as it runs and finishes.
    const stepOne = states.map((state) => state.steps.find((step) => step.id === 1)?.state);
    expect(stepOne).toEqual(expect.arrayContaining(["pending", "running", "completed"]));
    expect(stepOne.indexOf("running")).toBeLessThan(stepOne.indexOf("completed"));
    const running = states.find((state) => state.steps.some((step) => step.state === "running"));
    expect(running?.steps.find((step) => step.state === "running")?.colour).toBe("#3b82f6");
    expect(states.at(-1)?.done).toBe(true);
    // No state from the other run's plan or the other thread's event (the other run's seq 2 was skipped).
    expect(states.length).toBe(events.length);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(viewer?.openStreams).toBe(0);
    expect(feed.following).toBe(0);
  });

  it("says once that a run the log does not know is not available, and ends the stream", async () => {
    const feed = new MemoryRunFeed();
    const base = await start(feed);
    const { states, ended } = await readStates(await fetch(`${base}/runs/${token()}/events`));
    expect(ended).toBe(true);
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({ missing: true, done: false, steps: [] });
    expect(states[0]?.labels.missing).toContain("not available");
    expect(feed.following).toBe(0);
  });

  it("stops following when the browser goes away, and refuses streams beyond its limit", async () => {
    const feed = new MemoryRunFeed();
    feed.append(events[0] as RunEvent);
    const base = await start(feed, { maxStreams: 1 });
    // Node's http client, which closes its connection when destroyed, as a browser leaving the page does.
    const page = request(`${base}/runs/${token()}/events`);
    await new Promise<void>((resolve) => {
      page.on("response", (response) => response.once("data", () => resolve()));
      page.end();
    });
    expect(viewer?.openStreams).toBe(1);
    const second = await fetch(`${base}/runs/${token()}/events`);
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("5");
    expect(await second.text()).toBe("busy");
    page.destroy();
    for (let i = 0; i < 100 && (viewer?.openStreams ?? 0) > 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(viewer?.openStreams).toBe(0);
    expect(feed.following).toBe(0);
  });

  it("ends open streams when it stops, and its routes then answer 503", async () => {
    const feed = new MemoryRunFeed();
    feed.append(events[0] as RunEvent);
    const base = await start(feed);
    const response = await fetch(`${base}/runs/${token()}/events`);
    const reading = readStates(response);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await viewer?.stop();
    const { ended } = await reading;
    expect(ended).toBe(true);
    expect(feed.following).toBe(0);
    expect((await fetch(`${base}/runs/${token()}`)).status).toBe(503);
  });
});
