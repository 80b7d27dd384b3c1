import fc from "fast-check";
import { PNG } from "pngjs";
import { extractText } from "unpdf";
import { describe, expect, it } from "vitest";
import { printable } from "../../src/renderers/files/font.js";
import { graphFromSteps } from "../../src/renderers/files/graph-json.js";
import { renderGraphPng } from "../../src/renderers/files/graph-png.js";
import { renderReportPdf } from "../../src/renderers/files/report-pdf.js";
import { FILE_NAMES, graphSteps, resultFiles } from "../../src/renderers/files/result-files.js";
import { splitTextFile } from "../../src/renderers/files/split.js";
import { STATE_COLOUR, viewOf } from "../../src/renderers/view.js";
import type { RunResult } from "../../src/supervisor/types.js";
import { fixtureResult } from "./fixtures.js";

/** Pictures and documents decoded the way a reader's software would, not just checked for bytes. */

function decodePng(data: Buffer): PNG {
  return PNG.sync.read(data);
}

function hasColour(png: PNG, hex: string): boolean {
  const [r, g, b] = [1, 3, 5].map((index) => Number.parseInt(hex.slice(index, index + 2), 16));
  for (let offset = 0; offset < png.data.length; offset += 4) {
    if (png.data[offset] === r && png.data[offset + 1] === g && png.data[offset + 2] === b) return true;
  }
  return false;
}

async function pdfText(data: Buffer): Promise<{ totalPages: number; text: string }> {
  const { totalPages, text } = await extractText(new Uint8Array(data), { mergePages: true });
  // Long tokens carry zero-width break opportunities for the layout; they are not part of the words.
  return { totalPages, text: text.replace(/\u200b/g, "") };
}

function bigResult(steps: number): RunResult {
  const base = fixtureResult("ko", "all");
  const template = base.step_results[0]!;
  const stepResults = Array.from({ length: steps }, (_, index) => ({
    ...template,
    step_id: index + 1,
    task: `${index + 1}번째 작업: 자료 수집과 정리 ${"가나다".repeat(index % 7)}`,
    depends_on: index === 0 ? [] : [Math.max(1, index - (index % 3))],
    status: (["completed", "failed", "skipped"] as const)[index % 3]!,
    result: `결과 ${index + 1} ${"긴 설명 ".repeat(80)}`,
  }));
  return {
    ...base,
    plan: [],
    step_results: stepResults,
    aggregated_data: {
      ...base.aggregated_data,
      execution_summary: { ...base.aggregated_data.execution_summary, total_steps: steps },
      steps: stepResults.map((step) => ({
        step_id: step.step_id,
        agent: step.agent,
        description: step.description,
        status: step.status,
        result: step.result,
        confidence: step.confidence,
      })),
    },
    final_result: { ...base.final_result, graph: undefined },
  };
}

describe("graph picture", () => {
  it("draws the Korean fixture as a PNG with status colours", async () => {
    const result = fixtureResult("ko", "graph");
    const png = await renderGraphPng(graphSteps(viewOf(result)), result.request, "ko");
    const image = decodePng(png.data);
    expect([image.width, image.height]).toEqual([png.width, png.height]);
    expect(image.width).toBeGreaterThan(600);
    expect(image.height).toBeGreaterThan(400);
    for (const status of ["completed", "failed", "skipped"] as const)
      expect(hasColour(image, STATE_COLOUR[status])).toBe(true);
    expect(hasColour(image, STATE_COLOUR.running)).toBe(false);
  });

  it("keeps a 120-step plan within the size caps and shrinks under a byte limit", async () => {
    const view = viewOf(bigResult(120));
    const png = await renderGraphPng(graphSteps(view), view.request, "ko", { maxBytes: 300 * 1024 });
    const image = decodePng(png.data);
    expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(6000);
    expect(png.data.length).toBeLessThanOrEqual(300 * 1024);
    expect(png.shrunk).toBe(true);
    expect(png.layout.nodes).toHaveLength(120);
  });

  it("draws an empty plan without failing", async () => {
    const png = await renderGraphPng([], "빈 계획", "ko");
    expect(decodePng(png.data).width).toBeGreaterThan(0);
  });

  it("only hands the font characters it can draw", () => {
    expect(printable("한국어 report 😀👍🏽 ✓")).toBe("한국어 report  ✓");
    expect(printable("a\u0007b")).toBe("a b");
  });
});

describe("report PDF", () => {
  it.each([
    ["ko", "분석 보고서", "1단계: 관련 법령 조사", "실행 통계"],
    ["en", "Analysis report", "Step 1: Research the law", "Execution statistics"],
  ] as const)("renders the %s report with extractable text", async (locale, title, step, statistics) => {
    const result = fixtureResult(locale, "report");
    const { totalPages, text } = await pdfText(await renderReportPdf(result, viewOf(result), locale));
    expect(totalPages).toBeGreaterThanOrEqual(2);
    expect(text).toContain(title);
    expect(text).toContain(result.request);
    expect(text).toContain(step);
    expect(text).toContain(statistics);
    // The Markdown answer is printed formatted: no heading marks or bold asterisks.
    expect(text).not.toContain("## ");
    expect(text).not.toContain("**");
  });

  it("prints a 200-step report with huge unbroken strings across many pages", async () => {
    const result = bigResult(200);
    result.step_results[5]!.result = "x".repeat(20_000);
    result.step_results[6]!.result = "가".repeat(20_000);
    const started = performance.now();
    const { totalPages, text } = await pdfText(await renderReportPdf(result, viewOf(result), "ko"));
    expect(totalPages).toBeGreaterThan(20);
    expect(text).toContain("200단계");
    expect(text).toContain("줄임");
    // Guards against the quadratic path in pdfkit's wrapping of long words (minutes, not seconds).
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});

describe("result files", () => {
  it("gives every format its files", async () => {
    const names = async (format: RunResult["format"]) =>
      (await resultFiles(fixtureResult("en", format), "en")).files.map((file) => file.filename);
    expect(await names("chat")).toEqual([]);
    expect(await names("graph")).toEqual([FILE_NAMES.graphPng, FILE_NAMES.graphJson]);
    expect(await names("report")).toEqual([FILE_NAMES.reportPdf, FILE_NAMES.reportMarkdown]);
    expect(await names("json")).toEqual([FILE_NAMES.json]);
    expect(await names("all")).toEqual([
      FILE_NAMES.graphPng,
      FILE_NAMES.graphJson,
      FILE_NAMES.graphHierarchical,
      FILE_NAMES.reportPdf,
      FILE_NAMES.reportMarkdown,
      FILE_NAMES.json,
    ]);
  });

  it("writes a Cytoscape / React Flow ready graph JSON with positions", async () => {
    const { files } = await resultFiles(fixtureResult("ko", "graph"), "ko");
    const graph = JSON.parse(
      files.find((file) => file.filename === FILE_NAMES.graphJson)!.data.toString("utf8"),
    );
    expect(graph.layout).toBe("hierarchical");
    expect(graph.nodes).toHaveLength(5);
    for (const node of graph.nodes) {
      expect(node.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
      expect(node.metadata.step_id).toBeTypeOf("number");
    }
    expect(graph.edges.map((edge: { id: string }) => edge.id)).toContain("edge_step_1_to_step_3");
  });

  it("builds the seed's graph shape when the graph generator did not run", () => {
    const graph = graphFromSteps(viewOf(fixtureResult("en", "chat")));
    expect(graph.nodes.map((node) => node.id)).toEqual(["step_1", "step_2", "step_3", "step_4", "step_5"]);
    expect(graph.edges).toHaveLength(4);
  });

  it("puts aggregated_data and final_result in the JSON file", async () => {
    const result = fixtureResult("ko", "json");
    const { files } = await resultFiles(result, "ko");
    const parsed = JSON.parse(files[0]!.data.toString("utf8"));
    expect(parsed).toEqual({ aggregated_data: result.aggregated_data, final_result: result.final_result });
  });

  it("splits, shrinks or drops files over the limit and says so", async () => {
    const result = bigResult(60);
    const split = await resultFiles({ ...result, format: "json" }, "en", { maxFileBytes: 16 * 1024 });
    expect(split.files.length).toBeGreaterThan(1);
    expect(split.files.every((file) => file.data.length <= 16 * 1024)).toBe(true);
    expect(split.notes.join(" ")).toContain("was split into");

    const dropped = await resultFiles({ ...result, format: "graph" }, "ko", { maxFileBytes: 2 * 1024 });
    expect(dropped.files.some((file) => file.filename === FILE_NAMES.graphPng)).toBe(false);
    expect(dropped.notes.join(" ")).toContain(FILE_NAMES.graphPng);
  });

  it("splits text files into parts that join back byte for byte", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 3000 }),
        fc.integer({ min: 16, max: 400 }),
        (text, max) => {
          const data = Buffer.from(text, "utf8");
          const parts = splitTextFile({ filename: "a.md", mimeType: "text/markdown", data }, max);
          expect(Buffer.concat(parts.map((part) => part.data)).equals(data)).toBe(true);
          for (const part of parts) {
            expect(part.data.length).toBeLessThanOrEqual(max);
            // No part starts inside a UTF-8 sequence.
            expect(part.data.length === 0 || ((part.data[0] ?? 0) & 0xc0) !== 0x80).toBe(true);
          }
          if (parts.length > 1) expect(parts[0]!.filename).toBe(`a.part1of${parts.length}.md`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
