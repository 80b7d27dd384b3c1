export { createHttpApiAdapter, type HttpApiAdapter } from "./adapter.js";
export { type ApiAppOptions, createApiApp, OPENAPI_PATH, WS_PATH } from "./app.js";
export { DEFAULT_PRINCIPAL, SUBPROTOCOL } from "./auth.js";
export { API_BASE, THREAD_PREFIX } from "./views.js";
