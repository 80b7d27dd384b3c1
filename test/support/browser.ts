import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { HttpHost } from "../../src/adapters/http/index.js";
import { type RunFeed, RunViewer } from "../../src/adapters/http/viewer/index.js";
import { signRunLink } from "../../src/delivery/run-links.js";
import { silentLogger } from "../../src/log.js";

/**
 * A real browser for the run viewer's tests and screenshots: Debian's Chromium (apt `chromium`), driven by
 * playwright-core. Never `playwright install`: CI installs the distribution's package (see .ci/run).
 */

export const CHROMIUM_PATH = process.env.OCTO_CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set OCTO_CHROMIUM_PATH)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
    timeout: 30_000,
  });
}

export const VIEWER_SECRET = "browser-test-secret-of-32-characters";

/** The viewer on its own HTTP server on 127.0.0.1, reading `feed`; `link` signs a page's URL. */
export async function startViewer(feed: RunFeed, now: () => number = Date.now) {
  const host = new HttpHost({ host: "127.0.0.1", port: 0, logger: silentLogger() });
  const viewer = new RunViewer({
    routes: host.routes,
    feed,
    secret: VIEWER_SECRET,
    logger: silentLogger(),
    now,
  });
  await viewer.start();
  const base = await host.listen();
  return {
    base,
    viewer,
    link(threadKey: string, runId: string, ttlSeconds = 3600): string {
      const expiresAt = Math.floor(now() / 1000) + ttlSeconds;
      return `${base}/runs/${signRunLink(VIEWER_SECRET, { threadKey, runId, expiresAt })}`;
    },
    async stop(): Promise<void> {
      await viewer.stop();
      await host.close();
    },
  };
}

/**
 * What the page offers the evaluations below. The tests compile without the DOM's types (the project's
 * code never sees a browser), so the few calls made in the page are typed here.
 */
interface CyCollection {
  length: number;
  style(name: string): string;
  renderedBoundingBox(options: { includeLabels: boolean }): { x1: number; y1: number; w: number; h: number };
}
export interface PageGlobals {
  octoViewer?: {
    cy: { $(selector: string): CyCollection; nodes(): { length: number }; edges(): { length: number } };
  };
  __pwned?: unknown;
  document: {
    getElementById(id: string): { getBoundingClientRect(): { left: number; top: number } } | null;
    createElement(tag: "canvas"): {
      width: number;
      height: number;
      getContext(kind: "2d"): {
        font: string;
        fillText(text: string, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      };
    };
    fonts: { load(font: string, text: string): Promise<unknown>; check(font: string, text: string): boolean };
  };
}

/** Where a step's node is drawn, in page coordinates. */
export function nodeBox(page: Page, step: number): Promise<{ x: number; y: number; w: number; h: number }> {
  return page.evaluate((id) => {
    const { octoViewer, document } = globalThis as unknown as PageGlobals;
    const box = octoViewer?.cy.$(`#s${id}`).renderedBoundingBox({ includeLabels: false });
    const graph = document.getElementById("graph")?.getBoundingClientRect();
    if (!box || !graph) throw new Error("no graph");
    return { x: graph.left + box.x1, y: graph.top + box.y1, w: box.w, h: box.h };
  }, step);
}
