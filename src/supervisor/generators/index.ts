export { generateChat } from "./chat.js";
export { generateGraph, generateHierarchicalGraph } from "./graph.js";
export type { GeneratorInput } from "./input.js";
export { generateJson } from "./json.js";
export { generateReport } from "./report.js";
