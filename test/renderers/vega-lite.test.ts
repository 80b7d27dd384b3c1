import { describe, expect, it } from "vitest";
import { chartSvg } from "../../src/renderers/files/chart-png.js";

// No static import of vega-lite here: loading it patches Set.prototype, which is what is under test.
describe("vega-lite's Set patch stays inside a compile", () => {
  it("draws a chart and leaves Set.prototype as it was, so the rest of the process loads and logs normally", async () => {
    const spec = {
      data: {
        values: [
          { 도시: "서울", 매출: 10 },
          { 도시: "부산", 매출: 20 },
        ],
      },
      mark: "bar",
      encoding: { x: { field: "도시", type: "nominal" }, y: { field: "매출", type: "quantitative" } },
    };
    expect(await chartSvg(spec)).toContain("부산");
    expect(Object.hasOwn(Set.prototype, "toJSON")).toBe(false);
    expect(JSON.stringify({ tags: new Set(["a"]) })).toBe('{"tags":{}}');
    // discord.js's event emitter fails to load under the patch ("Set()" is not iterable).
    await expect(import("discord.js")).resolves.toBeDefined();
    // A second chart compiles as well: the patch is put back for vega-lite's own use.
    expect(await chartSvg({ ...spec, mark: "line" })).toContain("서울");
    expect(Object.hasOwn(Set.prototype, "toJSON")).toBe(false);
  });
});
