export { FONT_FAMILY, printable } from "./font.js";
export { graphFromSteps, graphJsonOf, positionedGraph } from "./graph-json.js";
export { type GraphLayout, type GraphStep, layoutGraph } from "./graph-layout.js";
export { type GraphPng, renderGraphPng } from "./graph-png.js";
export { graphSvg } from "./graph-svg.js";
export { answerMarkdown, reportMarkdown, stepsMarkdown, summaryLine } from "./markdown.js";
export { type ReportPdfOptions, renderReportPdf } from "./report-pdf.js";
export { FILE_NAMES, type FileBundle, graphSteps, jsonFile, resultFiles, textFile } from "./result-files.js";
export { splitTextFile } from "./split.js";
