export { CHART_MARKS, type ChartData, type ChartHint, type ChartMark, chartSpec } from "./spec.js";
