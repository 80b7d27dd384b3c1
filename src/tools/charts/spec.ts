import { type ColumnKind, kindOf } from "../sql/values.js";

/**
 * A Vega-Lite chart for a query's result, chosen from the columns' types without a model: a line over
 * time, bars per category (horizontal when the labels are many or long), points for two measures, a pie
 * when asked for and the categories are few. The model may suggest the mark and the columns; a
 * suggestion that does not fit the data is set aside rather than drawn wrong. No number, no chart.
 */

export const CHART_MARKS = ["bar", "line", "point", "arc"] as const;
export type ChartMark = (typeof CHART_MARKS)[number];

export interface ChartHint {
  mark?: ChartMark | undefined;
  x?: string | undefined;
  y?: string | undefined;
}

export interface ChartData {
  columns: readonly string[];
  types: readonly string[];
  rows: readonly (readonly (string | number | boolean | null)[])[];
}

/** Categories a bar chart or pie shows; the rest of a long result stays in the table. */
const MAX_CATEGORIES = 40;
const MAX_SLICES = 12;
const MAX_POINTS = 5_000;

interface Column {
  index: number;
  name: string;
  kind: ColumnKind;
}

function pick(
  columns: Column[],
  name: string | undefined,
  fits: (column: Column) => boolean,
): Column | undefined {
  if (!name) return undefined;
  const wanted = name.trim().toLowerCase();
  const found = columns.find((column) => column.name.toLowerCase() === wanted);
  return found && fits(found) ? found : undefined;
}

const isNumber = (column: Column) => column.kind === "number";
const isCategory = (column: Column) => column.kind === "text" || column.kind === "boolean";
const isTime = (column: Column) => column.kind === "temporal";

function encodingType(column: Column): "quantitative" | "temporal" | "nominal" {
  return column.kind === "number" ? "quantitative" : column.kind === "temporal" ? "temporal" : "nominal";
}

export function chartSpec(
  data: ChartData,
  title: string,
  hint: ChartHint = {},
): Record<string, unknown> | undefined {
  const columns: Column[] = data.columns.map((name, index) => ({
    index,
    name,
    kind: kindOf(data.types[index] ?? ""),
  }));
  const numbers = columns.filter(isNumber);
  if (numbers.length === 0 || data.rows.length === 0) return undefined;

  const x =
    pick(columns, hint.x, (column) => column.kind !== "other") ??
    columns.find(isTime) ??
    columns.find(isCategory) ??
    (numbers.length >= 2 ? numbers[0] : undefined);
  if (!x) return undefined;
  const y =
    pick(columns, hint.y, (column) => isNumber(column) && column !== x) ??
    numbers.find((column) => column !== x);
  if (!y) return undefined;

  let mark: ChartMark = isTime(x) ? "line" : isNumber(x) ? "point" : "bar";
  const categories = isCategory(x) ? new Set(data.rows.map((row) => row[x.index])).size : 0;
  if (
    hint.mark === "arc" &&
    isCategory(x) &&
    categories <= MAX_SLICES &&
    data.rows.every((row) => Number(row[y.index]) >= 0)
  )
    mark = "arc";
  else if (hint.mark === "line" && (isTime(x) || isNumber(x))) mark = "line";
  else if (hint.mark === "point" && !isCategory(x)) mark = "point";
  else if (hint.mark === "bar" && !isNumber(x)) mark = "bar";

  const limit = mark === "bar" || mark === "arc" ? MAX_CATEGORIES : MAX_POINTS;
  // Field names of our own: a column named `a.b` or `x[0]` would be read by Vega-Lite as a path.
  const values = data.rows.slice(0, limit).map((row) => ({ x: row[x.index], y: row[y.index] }));
  const xField = { field: "x", type: encodingType(x), title: x.name };
  const yField = { field: "y", type: "quantitative", title: y.name };
  const spec: Record<string, unknown> = { title, data: { values } };
  if (mark === "arc") {
    spec.mark = { type: "arc", tooltip: true };
    spec.encoding = { theta: { ...yField, stack: true }, color: { ...xField, sort: null } };
    return spec;
  }
  if (mark === "bar") {
    const labels = values.map((value) => String(value.x ?? ""));
    const horizontal = labels.length > 8 || labels.some((label) => label.length > 12);
    spec.mark = "bar";
    spec.encoding = horizontal
      ? { y: { ...xField, sort: null }, x: yField }
      : { x: { ...xField, sort: null }, y: yField };
    if (horizontal) spec.height = Math.min(1_200, Math.max(120, labels.length * 22));
    return spec;
  }
  spec.mark = mark === "line" ? { type: "line", point: values.length <= 60 } : "point";
  spec.encoding = { x: xField, y: yField };
  return spec;
}
