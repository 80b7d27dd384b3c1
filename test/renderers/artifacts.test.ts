import { PNG } from "pngjs";
import { extractText } from "unpdf";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { artifactFiles, fileStem } from "../../src/renderers/files/artifacts.js";
import { chartSvg, renderChartPng } from "../../src/renderers/files/chart-png.js";
import { csvText } from "../../src/renderers/files/csv.js";
import { measure } from "../../src/renderers/files/font.js";
import { FILE_NAMES, resultFiles } from "../../src/renderers/files/result-files.js";
import { console as consoleRenderer, discord, slack } from "../../src/renderers/index.js";
import { tablePreviews } from "../../src/renderers/table-preview.js";
import type { Artifact, RunResult, StepResult } from "../../src/supervisor/types.js";
import { fixtureResult } from "./fixtures.js";

/** Artifacts as the files a reader opens: PNGs decoded, PDFs read back, CSV parsed as Excel would. */

const CITIES = ["서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시"];

function barSpec(horizontal = false): Record<string, unknown> {
  const category = { field: "도시", type: "nominal", sort: null };
  const value = { field: "매출", type: "quantitative" };
  return {
    title: "도시별 매출",
    data: { values: CITIES.map((city, index) => ({ 도시: city, 매출: (index + 1) * 10 })) },
    mark: "bar",
    encoding: horizontal ? { y: category, x: value } : { x: category, y: value },
  };
}

function step(id: number, artifacts: Artifact[]): StepResult {
  return {
    ...fixtureResult("ko", "chat").step_results[0]!,
    step_id: id,
    artifacts,
  };
}

function withArtifacts(result: RunResult, artifacts: Artifact[]): RunResult {
  const [first, ...rest] = result.step_results;
  return { ...result, step_results: [{ ...first!, artifacts }, ...rest] };
}

/** Parses RFC 4180 (quoted fields with commas, quotes and line breaks) as a spreadsheet would. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index += 1;
    } else field += char;
  }
  return rows;
}

describe("chart artifacts", () => {
  it("draws a valid PNG with the bundled font", async () => {
    const png = await renderChartPng(barSpec());
    const image = PNG.sync.read(png.data);
    expect(image.width).toBeGreaterThan(400);
    expect(image.height).toBeGreaterThan(200);
    // The bars are Vega's default blue, so the data was drawn, not just the frame.
    let blue = 0;
    for (let offset = 0; offset < image.data.length; offset += 4)
      if (image.data[offset] === 0x4c && image.data[offset + 1] === 0x78 && image.data[offset + 2] === 0xa8)
        blue += 1;
    expect(blue).toBeGreaterThan(1000);
  });

  it("measures Korean labels with the font's advances, not Vega's 0.8 em guess", () => {
    const width = (vega as unknown as { textMetrics: { width: (item: object, text: string) => number } })
      .textMetrics.width;
    const real = measure("서울특별시", 11);
    expect(width({ fontSize: 11 }, "서울특별시")).toBeCloseTo(real, 5);
    // Hangul syllables are about one em wide: five of them at 11 px are over 50 px, Vega guesses 44.
    expect(real).toBeGreaterThan(50);
    expect(width({ fontSize: 11, fontWeight: "bold" }, "서울")).toBeCloseTo(measure("서울", 11, "bold"), 5);
    // A label cut at `limit` is measured as printed, ellipsis included.
    expect(width({ fontSize: 11, limit: 30 }, "서울특별시")).toBeLessThanOrEqual(30);
  });

  it("lays out horizontal Korean labels clear of the axis title", async () => {
    const spec = barSpec(true);
    const view = new vega.View(
      vega.parse(compile({ ...spec, config: { font: "Noto Sans KR" } } as TopLevelSpec).spec),
      {
        renderer: "none",
      },
    );
    await view.runAsync();
    const labels: { text: string; x1: number; x2: number; size: number }[] = [];
    let title: { x1: number; x2: number } | undefined;
    const visit = (node: { marktype?: string; role?: string; items?: unknown[] }, role = "") => {
      for (const item of (node.items ?? []) as {
        bounds: vega.Bounds;
        text?: string;
        fontSize?: number;
        items?: unknown[];
        mark?: { role?: string };
      }[]) {
        const itemRole = node.role ?? role;
        if (node.marktype === "text" && itemRole === "axis-label" && CITIES.includes(String(item.text)))
          labels.push({
            text: String(item.text),
            x1: item.bounds.x1,
            x2: item.bounds.x2,
            size: item.fontSize ?? 10,
          });
        if (node.marktype === "text" && itemRole === "axis-title" && item.text === "도시")
          title = { x1: item.bounds.x1, x2: item.bounds.x2 };
        visit(item as never, itemRole);
      }
    };
    visit((view.scenegraph() as unknown as { root: never }).root);
    view.finalize();
    expect(labels).toHaveLength(CITIES.length);
    for (const label of labels) expect(label.x2 - label.x1).toBeCloseTo(measure(label.text, label.size), 0);
    expect(title).toBeDefined();
    // The rotated title sits left of the widest label, as drawn.
    expect(title!.x2).toBeLessThanOrEqual(Math.min(...labels.map((label) => label.x1)));
  });

  it("keeps x labels horizontal and uses the bundled font in the SVG", async () => {
    const svg = await chartSvg(barSpec());
    expect(svg).toContain("서울특별시");
    expect(svg).toContain('font-family="Noto Sans KR"');
    const labels = [...svg.matchAll(/<text [^>]*transform="([^"]*)"[^>]*>([^<]*)<\/text>/g)].filter((match) =>
      CITIES.includes(match[2]!),
    );
    expect(labels).toHaveLength(CITIES.length);
    for (const label of labels) expect(label[1]).not.toContain("rotate");
  });

  it("refuses specs that would load files or URLs", async () => {
    await expect(chartSvg({ data: { url: "file:///etc/passwd" }, mark: "bar" })).rejects.toThrow(/inline/);
    await expect(
      chartSvg({
        data: { values: [{ a: 1 }] },
        layer: [{ data: { url: "http://169.254.169.254/" }, mark: "point" }],
      }),
    ).rejects.toThrow(/url/);
    await expect(
      chartSvg({ data: { values: [{ u: "x" }] }, mark: "image", encoding: { url: { field: "u" } } }),
    ).rejects.toThrow(/url/);
  });
});

describe("table artifacts", () => {
  it("writes RFC 4180 CSV with a BOM that round-trips Korean, quotes, commas and line breaks", () => {
    const columns = ["이름", "메모", "금액"];
    const rows = [
      ["김철수", '그는 "좋다"고, 말했다', 1200.5],
      ["이영희", "두 줄\n메모", null],
      ["박민수", '=HYPERLINK("http://x")', -3],
    ] as const;
    const text = csvText(
      columns,
      rows.map((row) => [...row]),
    );
    expect(text.startsWith("\ufeff")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    const parsed = parseCsv(text.slice(1));
    expect(parsed).toEqual([
      columns,
      ["김철수", '그는 "좋다"고, 말했다', "1200.5"],
      ["이영희", "두 줄\n메모", ""],
      // A formula from the data is text in a spreadsheet, not something it runs.
      ["박민수", '\'=HYPERLINK("http://x")', "-3"],
    ]);
  });

  it("leaves signed numbers in text columns alone", () => {
    expect(parseCsv(csvText(["v"], [["-12.5"], ["+3"], ["@home"]]).slice(1))).toEqual([
      ["v"],
      ["-12.5"],
      ["+3"],
      ["'@home"],
    ]);
  });
});

describe("artifactFiles", () => {
  const document: Artifact = {
    kind: "document",
    title: "비밀유지계약서",
    name: "nda-acme",
    markdown: "# 비밀유지계약서\n\n1. **목적**: 양 당사자는 비밀을 지킨다.\n2. 기간: 2년",
  };
  const table: Artifact = {
    kind: "table",
    title: "도시별 매출",
    name: "sales",
    columns: ["도시", "매출"],
    rows: CITIES.map((city, index) => [city, index]),
    truncated: false,
  };
  const chart: Artifact = { kind: "chart", title: "도시별 매출 차트", name: "sales", spec: barSpec() };

  it("turns a document into a PDF that reads back and its Markdown", async () => {
    const bundle = await artifactFiles([step(1, [document])], "ko");
    expect(bundle.files.map((file) => file.filename)).toEqual(["nda-acme.pdf", "nda-acme.md"]);
    const pdf = bundle.files[0]!;
    expect(pdf.mimeType).toBe("application/pdf");
    const { text } = await extractText(new Uint8Array(pdf.data), { mergePages: true });
    expect(text).toContain("비밀유지계약서");
    expect(text).toContain("양 당사자는 비밀을 지킨다.");
    expect(bundle.files[1]!.data.toString("utf8")).toContain("1. **목적**");
  });

  it("names files apart: one stem per artifact, free for all its extensions", async () => {
    const bundle = await artifactFiles(
      [step(1, [table, chart]), step(2, [{ ...table, name: "../../etc/passwd" }])],
      "en",
      {
        taken: ["sales.csv"],
      },
    );
    expect(bundle.files.map((file) => file.filename)).toEqual(["sales-2.csv", "sales.png", "etc-passwd.csv"]);
    expect(fileStem("  ", "table-3")).toBe("table-3");
    expect(fileStem("매출 보고서 (1분기)", "x")).toBe("매출-보고서-1분기");
  });

  it("fits the platform's limit: text split, picture drawn smaller, PDF dropped for its Markdown", async () => {
    const bigTable: Artifact = {
      ...table,
      rows: Array.from({ length: 3000 }, (_, index) => [`도시 ${index}`, index]),
    };
    const full = await renderChartPng(barSpec());
    const limit = Math.floor(full.data.length / 2);
    const bundle = await artifactFiles([step(1, [bigTable, chart, document])], "en", { maxFileBytes: limit });
    for (const file of bundle.files) expect(file.data.length).toBeLessThanOrEqual(limit);
    const names = bundle.files.map((file) => file.filename);
    expect(names.filter((name) => name.startsWith("sales.part")).length).toBeGreaterThan(1);
    expect(names).toContain("sales.png");
    expect(bundle.notes.join("\n")).toMatch(/split into/);
    expect(bundle.notes.join("\n")).toMatch(/sales\.png was rendered smaller/);
    // Joining the parts gives the CSV back.
    const joined = Buffer.concat(
      bundle.files.filter((f) => f.filename.startsWith("sales.part")).map((f) => f.data),
    );
    expect(parseCsv(joined.toString("utf8").slice(1))).toHaveLength(3001);
  });

  it("makes a chart it cannot draw a note, not a failed reply", async () => {
    const broken: Artifact = { kind: "chart", title: "x", name: "broken", spec: { mark: "bar" } };
    const bundle = await artifactFiles([step(1, [broken, table])], "en");
    expect(bundle.files.map((file) => file.filename)).toEqual(["sales.csv"]);
    expect(bundle.notes).toEqual([expect.stringMatching(/broken\.png could not be made: .*inline/)]);
  });

  it("rides along with every format through resultFiles", async () => {
    for (const format of ["chat", "report"] as const) {
      const result = withArtifacts(fixtureResult("ko", format), [table, chart]);
      const bundle = await resultFiles(result, "ko");
      const names = bundle.files.map((file) => file.filename);
      expect(names).toEqual(expect.arrayContaining(["sales.csv", "sales.png"]));
      if (format === "report") expect(names).toContain(FILE_NAMES.reportPdf);
    }
    const clash = withArtifacts(fixtureResult("en", "report"), [{ ...document, name: "report" }]);
    const names = (await resultFiles(clash, "en")).files.map((file) => file.filename);
    expect(names).toEqual(expect.arrayContaining(["report.pdf", "report.md", "report-2.pdf", "report-2.md"]));
  });
});

describe("table previews in chat replies", () => {
  const table: Artifact = {
    kind: "table",
    title: "도시별 매출",
    name: "sales",
    columns: ["도시", "매출", "메모"],
    rows: [...CITIES.map((city, index) => [city, index * 10, index === 0 ? "a|b" : null]), ["여분", 1, null]],
    truncated: true,
  };

  it("lists the first rows as an aligned Markdown table", () => {
    const [preview, ...rest] = tablePreviews([step(2, [table])], "en");
    expect(rest).toEqual([]);
    expect(preview!.caption).toBe("#2 도시별 매출: the first 5 of more than 6 row(s)");
    expect(preview!.lines).toHaveLength(7);
    expect(preview!.lines[0]).toBe("| 도시       | 매출 | 메모 |");
    expect(preview!.lines[2]).toBe("| 서울특별시 | 0    | a\\|b |");
    expect(preview!.lines.join("\n")).not.toContain("여분");
  });

  it("shows up on the console, Slack and Discord, beside the CSV", async () => {
    const result = withArtifacts(fixtureResult("ko", "chat"), [table]);
    const text = (await consoleRenderer.renderResult(result, "ko")).messages.map((m) => m.text).join("\n");
    expect(text).toContain("표의 처음 몇 행");
    expect(text).toContain("| 서울특별시 | 0    |");
    const slackReply = await slack.renderResult(result, "ko");
    expect(JSON.stringify(slackReply.messages)).toContain("```| 도시");
    expect(slackReply.files.map((file) => file.filename)).toContain("sales.csv");
    const discordReply = await discord.renderResult(result, "ko");
    const embeds = discordReply.messages.flatMap((message) => message.embeds ?? []);
    expect(embeds.some((embed) => embed.description?.includes("| 서울특별시 |"))).toBe(true);
  });
});
