import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedCall } from "../../src/llm/scripted.js";
import { console as consoleRenderer } from "../../src/renderers/index.js";
import { DuckDbQuerier } from "../../src/tools/sql/index.js";
import { GuardedWebFetcher } from "../../src/tools/web/index.js";
import { DATABASE_KINDS } from "../support/databases.js";
import { collectEvents } from "../support/events.js";
import { testKnowledgeBase } from "../support/service.js";
import { startTestSite, type TestSite } from "../tools/web/site.js";
import { ofType, planOf, resultOf, serviceFixture } from "./support.js";

/**
 * One plan whose three independent steps each use a real tool: the knowledge base (the sample pages),
 * SQL on an attached CSV, and the web fetcher on a local site (reached only through the test-only
 * guard option). The answer must carry all three results and what each cited.
 */
const FIXTURES = path.join(import.meta.dirname, "../fixtures/data");
const BY_REGION = 'SELECT "지역", sum("매출") AS "합계" FROM sales_ko GROUP BY 1 ORDER BY 2 DESC';

let site: TestSite;
const sql = new DuckDbQuerier({ maxRows: 100, timeoutMs: 5_000 });
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site.close();
  await sql.close();
});

/** The model's part of each step, answering from exactly what the step's tool gave it. */
function readerOf(marker: string, answer: string) {
  return ({ messages }: ScriptedCall) => ({
    result: (messages[1]?.content ?? "").includes(marker) ? answer : "nothing in what I was given",
    confidence: 0.9,
  });
}

describe.each(DATABASE_KINDS)("search, data and web in one plan on %s", (kind) => {
  const fixture = serviceFixture(kind);

  it("runs the three steps side by side and reports each result with its sources", async () => {
    const kb = testKnowledgeBase(fixture.store());
    await kb.seedIfEmpty();
    const fetch = new GuardedWebFetcher({ testOnlyLoopbackPort: site.port, timeoutMs: 5_000 });
    try {
      const { service } = fixture.make({
        tools: { kb, sql, fetch },
        scripted: {
          handlers: {
            plan: planOf(
              { id: 1, agent: "search", task: "How many annual leave days do employees get?" },
              { id: 2, agent: "data", task: "Total sales per region in the attached file" },
              { id: 3, agent: "web", task: `What does ${site.origin}/english say about octopus hearts?` },
            ),
            "agent:search": readerOf(
              "15 days of paid annual leave",
              "Employees get 15 days of paid annual leave per year after their first year [1].",
            ),
            "agent:web": readerOf("three hearts", "An octopus has three hearts (Octopus facts)."),
            "agent:data:sql": () => ({ sql: BY_REGION, title: "Sales per region", chart: "bar" }),
          },
        },
      });
      const events = await collectEvents(
        service.send({
          platform: "console",
          threadKey: "console:together",
          user: "alice",
          text: "Leave days, sales per region and the octopus page",
          attachments: [
            { name: "sales-ko.csv", text: await readFile(path.join(FIXTURES, "sales-ko.csv"), "utf8") },
          ],
        }),
      );
      const plan = ofType(events, "plan")[0];
      expect(plan?.steps.map((step) => [step.agent, step.depends_on])).toEqual([
        ["search", []],
        ["data", []],
        ["web", []],
      ]);
      const result = resultOf(events);
      const [search, data, web] = result.step_results;
      expect(result.step_results.map((step) => [step.agent, step.status, step.round])).toEqual([
        ["search", "completed", 0],
        ["data", "completed", 0],
        ["web", "completed", 0],
      ]);
      expect(search?.result).toContain("15 days of paid annual leave");
      expect(search?.sources?.[0]).toEqual({
        title: "kb/sample/vacation-policy.md § Annual leave",
        snippet: expect.stringContaining("15 days of paid annual leave"),
      });
      expect(data?.sources).toEqual([{ title: "sales-ko.csv (6 rows, table sales_ko)" }]);
      expect(data?.result).toContain("| 서울 | 2700 |");
      expect(web?.result).toContain("An octopus has three hearts");
      expect(web?.sources).toEqual([{ title: "Octopus facts", url: `${site.origin}/english` }]);

      // The aggregated answer carries all three, and so does what a person reads.
      const answer = result.aggregated_data.final_answer;
      for (const part of ["15 days of paid annual leave", "서울", "three hearts"])
        expect(answer).toContain(part);
      const shown = (await consoleRenderer.renderResult(result, "en")).messages.map((m) => m.text).join("\n");
      expect(shown).toContain("kb/sample/vacation-policy.md § Annual leave");
      expect(shown).toContain(`${site.origin}/english`);
      expect(site.hits.some((hit) => hit.includes("/english"))).toBe(true);
    } finally {
      await fetch.close();
    }
  });
});
