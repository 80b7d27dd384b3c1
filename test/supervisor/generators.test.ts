import { describe, expect, it } from "vitest";
import {
  generateChat,
  generateGraph,
  generateHierarchicalGraph,
  generateJson,
  generateReport,
} from "../../src/supervisor/generators/index.js";
import { GraphJsonSchema, JsonResultSchema } from "../../src/supervisor/types.js";
import { englishInput, koreanInput } from "./fixtures.js";

describe.each([
  ["en", englishInput],
  ["ko", koreanInput],
])("generators (%s)", (locale, input) => {
  it("chat matches its golden file", async () => {
    await expect(generateChat(input)).toMatchFileSnapshot(`golden/chat.${locale}.md`);
  });

  it("graph and its hierarchical variant match their golden files and the seed's shape", async () => {
    const graph = GraphJsonSchema.parse(generateGraph(input));
    const hierarchical = GraphJsonSchema.parse(generateHierarchicalGraph(input));
    await expect(JSON.stringify(graph, null, 2)).toMatchFileSnapshot(`golden/graph.${locale}.json`);
    await expect(JSON.stringify(hierarchical, null, 2)).toMatchFileSnapshot(
      `golden/graph-hierarchical.${locale}.json`,
    );
  });

  it("report matches its golden file", async () => {
    await expect(generateReport(input)).toMatchFileSnapshot(`golden/report.${locale}.md`);
  });

  it("json carries the seed's four keys", () => {
    const json = JsonResultSchema.parse(generateJson(input));
    expect(json.summary).toBe(input.data.final_answer);
    expect(json.metrics).toEqual(input.data.execution_summary);
    expect(json.steps).toHaveLength(input.data.steps.length);
  });
});

describe("generator content", () => {
  it("chat shows the emoji summary and only the top three insights", () => {
    const chat = generateChat(englishInput);
    expect(chat).toContain("📊 **Execution summary**");
    expect(chat).toContain("✅ Completed: 2");
    expect(chat).toContain("❌ Failed: 1");
    expect(chat).toContain("⏭️ Skipped: 1");
    expect(chat).toContain("🙋 Approvals: 2");
    expect(chat).toContain("Have a lawyer review clause 7");
    expect(chat).not.toContain("A fourth insight");
  });

  it("Korean chat uses Korean labels", () => {
    const chat = generateChat(koreanInput);
    expect(chat).toContain("실행 요약");
    expect(chat).toContain("총 2개 단계 실행");
    expect(chat).toContain("주요 인사이트");
  });

  it("graph nodes follow the seed (step_N ids, colour by status, metadata) and edges are dependencies", () => {
    const graph = generateGraph(englishInput);
    expect(graph.nodes.map((n) => n.id)).toEqual(["step_1", "step_2", "step_3", "step_4"]);
    expect(graph.nodes[0]).toMatchObject({ type: "search", status: "completed", color: "#4CAF50" });
    expect(graph.nodes[2]).toMatchObject({ status: "failed", color: "#F44336" });
    expect(graph.nodes[1]?.metadata).toMatchObject({ step_id: 2, agent: "contract", confidence: 0.74 });
    expect(graph.edges).toEqual([
      { id: "edge_step_1_to_step_2", source: "step_1", target: "step_2", label: "", type: "default" },
    ]);
  });

  it("the hierarchical graph groups steps under one node per agent", () => {
    const graph = generateHierarchicalGraph(englishInput);
    const groups = graph.nodes.filter((n) => n.type === "group");
    expect(groups.map((g) => g.id)).toEqual(["group_search", "group_contract", "group_web", "group_code"]);
    expect(graph.nodes.find((n) => n.id === "step_2")?.parent).toBe("group_contract");
    expect(graph.layout).toBe("hierarchical");
  });

  it("the report has statistics with percentages, Mermaid pie and gantt, details and a conclusion", () => {
    const report = generateReport(englishInput);
    expect(report).toContain("| Completed steps | 2 | 50.0% |");
    expect(report).toContain("| Failed steps | 1 | 25.0% |");
    expect(report).toMatch(
      /```mermaid\npie title Step outcomes\n {4}"completed" : 2\n {4}"failed" : 1\n {4}"skipped" : 1\n```/,
    );
    expect(report).toContain("gantt");
    expect(report).toContain("1. Find current NDA practice :done, s1, 14:30:00, 14:30:04");
    expect(report).toContain("3. Read the partner's website :crit, s3, 14:30:00, 14:30:09");
    expect(report).toContain("### ❌ Step 3: Read the partner's website");
    expect(report).toContain("- **Error**: timed out");
    expect(report).toContain("2 of 4 steps completed in 12.34 seconds.");
  });

  it("a plan with no timed step has no gantt chart and an empty plan reports zero percent", () => {
    const input = {
      ...englishInput,
      stepResults: [],
      data: {
        ...englishInput.data,
        steps: [],
        execution_summary: {
          ...englishInput.data.execution_summary,
          total_steps: 0,
          completed_steps: 0,
          failed_steps: 0,
        },
      },
    };
    const report = generateReport(input);
    expect(report).not.toContain("gantt");
    expect(report).toContain("| Completed steps | 0 | 0.0% |");
  });
});
