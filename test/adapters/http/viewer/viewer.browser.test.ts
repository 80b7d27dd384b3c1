import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationFeed } from "../../../../src/adapters/http/viewer/index.js";
import type { RunEvent } from "../../../../src/conversations/index.js";
import type { ScriptedCall } from "../../../../src/llm/scripted.js";
import { fixtureEvents } from "../../../renderers/fixtures.js";
import {
  browserMissing,
  launchChromium,
  nodeBox,
  type PageGlobals,
  startViewer,
} from "../../../support/browser.js";
import { openTestStore, type TestStore } from "../../../support/databases.js";
import { collectEvents } from "../../../support/events.js";
import { gate } from "../../../support/gate.js";
import { MemoryRunFeed } from "../../../support/memory-feed.js";
import { createTestService } from "../../../support/service.js";

/**
 * The run viewer in a real browser (Debian's Chromium, headless): a real conversation service with the
 * scripted model runs a Korean three-step plan whose steps wait for the test to let them go (the last
 * one for an approval); the page, opened from a signed link, reads the run event log the service writes
 * and draws each event as it comes.
 */

const missing = browserMissing();
const inCi = process.env.CI === "true";
const ARTIFACTS = path.resolve("test-results");
/** Each wait in the page; the whole test stays far under vitest's own limit. */
const WAIT_MS = 15_000;

const COLOURS = {
  pending: [0xc9, 0xce, 0xd6],
  running: [0x3b, 0x82, 0xf6],
  waiting: [0xf5, 0x9e, 0x0b],
  completed: [0x22, 0xa0, 0x6b],
  failed: [0xdc, 0x35, 0x45],
  skipped: [0x8c, 0x96, 0xa3],
} as const;
const css = (rgb: readonly number[]) => `rgb(${rgb.join(",")})`;

/** Markup in model text must come out as text, never as elements. */
const MARKUP_TASK = '관련 법령 검색 <img src=x onerror="window.__pwned=1"><b>굵게</b>';

if (missing && inCi) {
  describe("run viewer in a browser", () => {
    it("needs Chromium in CI", () => {
      throw new Error(`the browser tests cannot run: ${missing}; .ci/run installs it with apt`);
    });
  });
} else if (missing) {
  console.warn(`[test] run viewer browser tests NOT RUN: ${missing}`);
  describe.skip(`run viewer in a browser — NOT RUN: ${missing}`, () => {
    it("draws a run live", () => {});
  });
} else {
  describe("run viewer in a browser", () => {
    let browser: Browser | undefined;
    let store: TestStore | undefined;
    let server: Awaited<ReturnType<typeof startViewer>> | undefined;
    let service: ReturnType<typeof createTestService>["service"] | undefined;

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true });
      browser = await launchChromium();
      store = await openTestStore("pglite");
    });
    afterAll(async () => {
      await browser?.close();
      await service?.close();
      await server?.stop();
      await store?.destroy();
    });

    const nodeColour = (page: Page, step: number) =>
      page.evaluate((id) => {
        const node = (globalThis as unknown as PageGlobals).octoViewer?.cy.$(`#s${id}`);
        return node && node.length > 0 ? String(node.style("background-color")).replace(/\s/g, "") : "";
      }, step);
    const waitForColour = (page: Page, step: number, rgb: readonly number[]) =>
      expect.poll(() => nodeColour(page, step), { timeout: WAIT_MS }).toBe(css(rgb));

    /** The colour of the pixel drawn just inside a node's left edge (clear of its label). */
    const drawnColour = async (page: Page, step: number) => {
      const box = await nodeBox(page, step);
      const shot = await page.screenshot({
        clip: { x: box.x + 6, y: box.y + box.h / 2, width: 1, height: 1 },
      });
      const png = PNG.sync.read(shot);
      return [png.data[0], png.data[1], png.data[2]];
    };

    it("draws a run live from a signed link: nodes appear, change colour, show details and the answer", async () => {
      if (!browser || !store) throw new Error("not set up");
      const gates = { search: gate(), data: gate() };
      const handlers = {
        plan: () => ({
          steps: [
            {
              id: 1,
              agent: "search",
              task: MARKUP_TASK,
              description: "관련 법령 검색",
              depends_on: [],
              needs_approval: false,
            },
            {
              id: 2,
              agent: "data",
              task: "위험도 분석",
              description: "위험도 분석",
              depends_on: [1],
              needs_approval: false,
            },
            {
              id: 3,
              agent: "contract",
              task: "계약서 초안",
              description: "계약서 초안 작성",
              depends_on: [2],
              needs_approval: false,
            },
          ],
        }),
        "agent:search": async () => {
          await gates.search.wait;
          return { result: "검색 결과: 개인정보 보호법 제15조가 적용됩니다.", confidence: 0.9 };
        },
        "agent:data": async () => {
          await gates.data.wait;
          return { result: "위험도는 중간입니다.", confidence: 0.7 };
        },
        "agent:contract": (call: ScriptedCall) => ({
          result: `초안: ${String(call.context.task)}`,
          confidence: 0.8,
        }),
      };
      service = createTestService(store, { scripted: { handlers } }).service;
      // The durable run event log, as the bot reads it: the service writes every run's events there.
      server = await startViewer(conversationFeed(service, { restPollMs: 100 }));
      const threadKey = "slack:T1:C1:1764590000.000100";

      let runId: string | undefined;
      const turn = collectEvents(
        service.send(
          {
            platform: "slack",
            threadKey,
            user: "alice",
            text: "법령을 검색한 다음에 데이터를 분석하고 계약서 초안을 써 주세요",
          },
          { onRun: (id) => (runId = id) },
        ),
      );
      await expect.poll(() => runId, { timeout: WAIT_MS }).toBeTruthy();

      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      page.setDefaultTimeout(WAIT_MS);
      const response = await page.goto(server.link(threadKey, runId as string));
      expect(response?.status()).toBe(200);

      // The plan appears: three nodes, two edges, step 1 running (blue), the rest pending (grey).
      await expect
        .poll(
          () =>
            page.evaluate(() => (globalThis as unknown as PageGlobals).octoViewer?.cy.nodes().length ?? 0),
          {
            timeout: WAIT_MS,
          },
        )
        .toBe(3);
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).octoViewer?.cy.edges().length),
      ).toBe(2);
      await waitForColour(page, 1, COLOURS.running);
      await waitForColour(page, 2, COLOURS.pending);
      // What the canvas drew, not only the style: the node's pixels are the running colour.
      expect(await drawnColour(page, 1)).toEqual([...COLOURS.running]);

      gates.search.open();
      await waitForColour(page, 1, COLOURS.completed);
      await waitForColour(page, 2, COLOURS.running);
      expect(await drawnColour(page, 1)).toEqual([...COLOURS.completed]);

      // A click on a node shows its task, agent, result and timings in the side panel.
      const one = await nodeBox(page, 1);
      await page.mouse.click(one.x + one.w / 2, one.y + one.h / 2);
      await expect
        .poll(() => page.textContent("#panel-heading"), { timeout: WAIT_MS })
        .toBe("1단계 · search");
      const panel = (await page.textContent("#panel-details")) ?? "";
      expect(panel).toContain("검색 결과: 개인정보 보호법 제15조가 적용됩니다.");
      expect(panel).toContain(MARKUP_TASK);
      expect(panel).toMatch(/소요 시간\d+(\.\d)?초/);
      // The markup in the task stayed text.
      expect(await page.locator("#panel img, #panel b").count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();

      // Step 3 is a contract step: it waits for approval (amber) once step 2 is done.
      gates.data.open();
      await waitForColour(page, 3, COLOURS.waiting);
      await turn;
      const [asked] = await service.pendingApprovals(threadKey);
      if (!asked) throw new Error("no approval was asked for");
      await collectEvents(service.decide(asked.approvalId, { decision: "approve", by: "alice" }));
      await waitForColour(page, 3, COLOURS.completed);

      // The answer arrives; the stream ends and the page says the run is finished.
      await page.locator("#answer").waitFor({ state: "visible" });
      expect(await page.textContent("#answer-text")).toContain("위험도는 중간입니다.");
      await expect.poll(() => page.textContent("#connection"), { timeout: WAIT_MS }).toBe("완료");
      expect(await page.getAttribute("html", "lang")).toBe("ko");

      // Korean is drawn with glyphs, not boxes: the web font loaded, and a Hangul syllable drawn with it
      // differs from the box drawn for a character no font has.
      const glyphs = await page.evaluate(async () => {
        const { document, octoViewer } = globalThis as unknown as PageGlobals;
        await document.fonts.load('16px "Noto Sans KR"', "한국어");
        const draw = (text: string) => {
          const canvas = document.createElement("canvas");
          canvas.width = 40;
          canvas.height = 40;
          const context = canvas.getContext("2d");
          context.font = '28px "Noto Sans KR"';
          context.fillText(text, 4, 32);
          return Array.from(context.getImageData(0, 0, 40, 40).data).join(",");
        };
        return {
          loaded: document.fonts.check('16px "Noto Sans KR"', "한국어"),
          hangulDiffersFromBox: draw("한") !== draw("\u{10FFFD}"),
          twoSyllablesDiffer: draw("한") !== draw("국"),
          nodeFont: octoViewer?.cy.$("#s1").style("font-family"),
        };
      });
      expect(glyphs).toEqual({
        loaded: true,
        hangulDiffersFromBox: true,
        twoSyllablesDiffer: true,
        nodeFont: '"Noto Sans KR", sans-serif',
      });

      // Nothing was refused by the Content-Security-Policy and no script failed.
      expect(problems).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, "run-viewer.png"), fullPage: true });
      await page.close();
    }, 90_000);

    it("shows a run that already ended as it finished, its answer's Markdown as elements, never as markup", async () => {
      if (!browser) throw new Error("not set up");
      const events = fixtureEvents("ko");
      const feed = new MemoryRunFeed();
      for (const event of events) feed.append(event);
      const replay = await startViewer(feed);
      const first = events[0] as RunEvent;
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      try {
        page.setDefaultTimeout(WAIT_MS);
        await page.goto(replay.link(first.threadKey, first.runId));
        await page.locator("#answer").waitFor({ state: "visible" });
        expect(await page.textContent("#connection")).toBe("완료");
        await waitForColour(page, 5, COLOURS.failed);
        await waitForColour(page, 4, COLOURS.skipped);
        // The fixture's answer: a heading, bold, a link, and mention syntax that must stay text.
        expect(await page.textContent("#answer-text h4")).toBe("요약");
        expect(await page.textContent("#answer-text strong")).toBe("비밀유지계약서(NDA)");
        const link = page.locator("#answer-text a");
        expect(await link.getAttribute("href")).toBe("https://www.law.go.kr/");
        expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
        expect(await page.textContent("#answer-text")).toContain("<!channel>");
        // A cited source in the panel is a link too, opened without the page's URL as referrer.
        const one = await nodeBox(page, 1);
        await page.mouse.click(one.x + one.w / 2, one.y + one.h / 2);
        const source = page.locator("#panel-details a");
        expect(await source.getAttribute("href")).toBe("https://www.law.go.kr/");
        expect(await source.getAttribute("rel")).toBe("noopener noreferrer");
      } finally {
        await page.close();
        await replay.stop();
      }
    }, 30_000);

    it("shows 403 and nothing of the run for a tampered link, and a valid one to no known run says so", async () => {
      if (!browser || !server) throw new Error("not set up");
      const runId = "run_anything";
      const good = server.link("slack:T1:C1:1", runId);
      // One character of the signature changed (to another one, whatever it was).
      const tampered = `${good.slice(0, -3)}${good.at(-3) === "A" ? "B" : "A"}${good.slice(-2)}`;
      expect(tampered).not.toBe(good);
      const page = await browser.newPage();
      // The untouched link is valid, but the log knows no such run: the page says so and stops listening.
      expect((await page.goto(good))?.status()).toBe(200);
      await expect
        .poll(() => page.textContent("#panel-hint"), { timeout: WAIT_MS })
        .toContain("This run is not available");
      const response = await page.goto(tampered);
      expect(response?.status()).toBe(403);
      expect(await page.textContent("body")).toContain("This link is not valid or has expired.");
      expect(await page.textContent("body")).toContain("이 링크는 유효하지 않거나 만료되었습니다.");
      expect(await page.locator("#graph").count()).toBe(0);
      await page.close();
    }, 30_000);
  });
}
