export { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from "./adapter.js";
export { EVENTS_PATH, type SlackSettings, slackSettings } from "./settings.js";
export { parseSlackThreadKey, type SlackThread, slackThreadKey } from "./thread-key.js";
