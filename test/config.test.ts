import { describe, expect, it } from "vitest";
import { isConfigError, loadConfig } from "../src/config.js";

describe("OCTO_ROLE", () => {
  const slack = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "secret" };

  it("defaults to a process that both receives and runs", () => {
    expect(loadConfig({}).OCTO_ROLE).toBe("all");
  });

  it("accepts intake and worker with Postgres and a platform", () => {
    const env = { ...slack, POSTGRES_URL: "postgres://postgres@127.0.0.1:5432/test" };
    expect(loadConfig({ ...env, OCTO_ROLE: "intake" }).OCTO_ROLE).toBe("intake");
    expect(loadConfig({ ...env, OCTO_ROLE: "worker" }).OCTO_ROLE).toBe("worker");
  });

  it("refuses a split role without the shared queue or without a platform, saying why", () => {
    for (const env of [
      { ...slack, OCTO_ROLE: "worker" },
      { OCTO_ROLE: "intake", POSTGRES_URL: "postgres://x@h/db" },
    ]) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(
        /OCTO_ROLE: (worker needs POSTGRES_URL|intake needs a platform)/,
      );
    }
    expect(() => loadConfig({ OCTO_ROLE: "both" })).toThrow(/OCTO_ROLE: must be one of all, intake, worker/);
  });
});
