import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { type Logger, sdkLog } from "../../log.js";

const BOLT_LEVEL = { trace: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

/** Bolt and the Slack SDK log through our pino logger (see `sdkLog`). */
export function boltLogger(log: Logger): BoltLogger {
  const sdk = sdkLog(log);
  return {
    debug: sdk.debug,
    info: sdk.info,
    warn: sdk.warn,
    error: sdk.error,
    setLevel: () => {
      // The level is OCTO_LOG_LEVEL's; Bolt may not change it.
    },
    getLevel: () => BOLT_LEVEL[sdk.level()],
    setName: sdk.rename,
  };
}
