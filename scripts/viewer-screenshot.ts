import path from "node:path";
import { fileURLToPath } from "node:url";
import { fixtureEvents } from "../test/renderers/fixtures.js";
import {
  browserMissing,
  launchChromium,
  nodeBox,
  type PageGlobals,
  startViewer,
} from "../test/support/browser.js";
import { MemoryRunFeed } from "../test/support/memory-feed.js";

/**
 * `npm run docs:viewer`: the README's picture of the run viewer, docs/run-viewer.png. The Korean fixture
 * run the golden tests use (five steps: completed, an approval rejected, a failure) is put into a run
 * event log, the page is opened from a signed link in Debian's Chromium, and its first step is selected.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "docs", "run-viewer.png");

async function main(): Promise<void> {
  const missing = browserMissing();
  if (missing) throw new Error(missing);
  const events = fixtureEvents("ko");
  const feed = new MemoryRunFeed();
  for (const event of events) feed.append(event);
  const first = events[0];
  if (!first) throw new Error("the fixture has no events");
  const server = await startViewer(feed);
  const browser = await launchChromium();
  try {
    // A fixed zone and locale, so the times in the panel read the same on every machine.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 820 },
      locale: "ko-KR",
      timezoneId: "Asia/Seoul",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(server.link(first.threadKey, first.runId));
    await page.locator("#answer").waitFor({ state: "visible" });
    await page.waitForFunction(() =>
      (globalThis as unknown as PageGlobals).document.fonts.check('16px "Noto Sans KR"', "한국어"),
    );
    const box = await nodeBox(page, 1);
    await page.mouse.click(box.x + box.w / 2, box.y + box.h / 2);
    await page.locator("#panel-details dt").first().waitFor();
    await page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${path.relative(root, out)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`docs:viewer failed: ${(error as Error).message}`);
  process.exit(1);
});
