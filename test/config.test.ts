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

describe("the HTTP API's settings", () => {
  const configError = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      if (isConfigError(error)) return error.lines.join("\n");
      throw error;
    }
    throw new Error("accepted");
  };

  it("takes a bearer token and a list of origins, and keeps the token out of the logs", () => {
    const token = "0123456789abcdef0123";
    const config = loadConfig({
      OCTO_API_TOKEN: token,
      OCTO_ALLOWED_ORIGINS: "https://app.example.com, http://127.0.0.1:5173",
    });
    expect(config.OCTO_API_TOKEN).toBe(token);
    expect(config.OCTO_ALLOWED_ORIGINS).toEqual(["https://app.example.com", "http://127.0.0.1:5173"]);
    expect(config.secrets).toContain(token);
    expect(loadConfig({}).OCTO_ALLOWED_ORIGINS).toEqual([]);
  });

  it("refuses a short token, never showing it, and anything but plain origins", () => {
    const short = configError({ OCTO_API_TOKEN: "short-secret" });
    expect(short).toMatch(/^OCTO_API_TOKEN: must be at least 16 printable characters/);
    expect(short).not.toContain("short-secret");
    for (const origins of ["*", "https://app.example.com/", "app.example.com", "ftp://files.example.com"])
      expect(configError({ OCTO_ALLOWED_ORIGINS: origins })).toMatch(
        /^OCTO_ALLOWED_ORIGINS: must be origins/,
      );
  });

  it("counts the API as a platform for a split role", () => {
    const env = { OCTO_API_TOKEN: "0123456789abcdef0123", POSTGRES_URL: "postgres://x@h/db" };
    expect(loadConfig({ ...env, OCTO_ROLE: "worker" }).OCTO_ROLE).toBe("worker");
  });
});
