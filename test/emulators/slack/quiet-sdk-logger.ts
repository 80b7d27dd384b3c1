import { webApi } from "@slack/bolt";

/** The SDK's own log lines (rate-limit notices, refused blocks) are expected in emulator tests, not news. */
export const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};
