export { createHttpApiAdapter, type HttpApiAdapter } from "./adapter.js";
