export { ASK_EXIT, type AskOptions, runAsk } from "./ask.js";
export { ConsoleAdapter, type ConsoleAdapterOptions } from "./console-adapter.js";
