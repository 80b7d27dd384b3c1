import { describe, expect, it } from "vitest";
import { chartSpec } from "../../../src/tools/charts/index.js";

/** Which chart a result gets, from its column types alone or with the model's suggestion. */

const byRegion = {
  columns: ["지역", "합계"],
  types: ["VARCHAR", "HUGEINT"],
  rows: [
    ["서울", 2700],
    ["부산", 1800],
    ["대구", 450],
  ],
};

describe("chartSpec", () => {
  it("draws categories as bars in the query's order, with the columns' names as titles", () => {
    expect(chartSpec(byRegion, "Sales")).toEqual({
      title: "Sales",
      data: {
        values: [
          { x: "서울", y: 2700 },
          { x: "부산", y: 1800 },
          { x: "대구", y: 450 },
        ],
      },
      mark: "bar",
      encoding: {
        x: { field: "x", type: "nominal", title: "지역", sort: null },
        y: { field: "y", type: "quantitative", title: "합계" },
      },
    });
  });

  it("turns bars sideways when the labels are many or long", () => {
    const many = { ...byRegion, rows: Array.from({ length: 12 }, (_, index) => [`도시 ${index}`, index]) };
    const spec = chartSpec(many, "t") as { encoding: Record<string, { field: string }>; height: number };
    expect(spec.encoding.y?.field).toBe("x");
    expect(spec.height).toBe(12 * 22);
  });

  it("draws time as a line and two measures as points", () => {
    const monthly = {
      columns: ["month", "total"],
      types: ["DATE", "DOUBLE"],
      rows: [
        ["2024-01-01", 3],
        ["2024-02-01", 5],
      ],
    };
    expect(chartSpec(monthly, "t")).toMatchObject({
      mark: { type: "line" },
      encoding: { x: { type: "temporal" } },
    });
    const pairs = {
      columns: ["price", "qty"],
      types: ["DOUBLE", "BIGINT"],
      rows: [
        [1.5, 10],
        [12.25, 2],
      ],
    };
    expect(chartSpec(pairs, "t")).toMatchObject({
      mark: "point",
      encoding: { x: { title: "price" }, y: { title: "qty" } },
    });
  });

  it("follows the model's suggestion where it fits the data, and sets it aside where it does not", () => {
    expect(chartSpec(byRegion, "t", { mark: "arc" })).toMatchObject({
      mark: { type: "arc" },
      encoding: { theta: { field: "y" } },
    });
    // A line through categories, or a measure that is text, would be drawn wrong.
    expect(chartSpec(byRegion, "t", { mark: "line", y: "지역" })).toMatchObject({
      mark: "bar",
      encoding: { y: { title: "합계" } },
    });
    const twoMeasures = {
      columns: ["a", "b", "c"],
      types: ["VARCHAR", "BIGINT", "DOUBLE"],
      rows: [["x", 1, 2.5]],
    };
    expect(chartSpec(twoMeasures, "t", { y: "C" })).toMatchObject({ encoding: { y: { title: "c" } } });
  });

  it("draws nothing without a number or without rows", () => {
    expect(chartSpec({ columns: ["a"], types: ["VARCHAR"], rows: [["x"]] }, "t")).toBeUndefined();
    expect(chartSpec({ ...byRegion, rows: [] }, "t")).toBeUndefined();
    expect(chartSpec({ columns: ["n"], types: ["BIGINT"], rows: [[1]] }, "t")).toBeUndefined();
  });

  it("keeps field names of its own, so column names with dots are not read as paths", () => {
    const dotted = { columns: ["a.b", "x[0]"], types: ["VARCHAR", "BIGINT"], rows: [["k", 1]] };
    expect(chartSpec(dotted, "t")).toMatchObject({
      data: { values: [{ x: "k", y: 1 }] },
      encoding: { x: { title: "a.b" } },
    });
  });
});
