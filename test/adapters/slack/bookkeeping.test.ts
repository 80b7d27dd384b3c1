import { describe, expect, it } from "vitest";
import { splitApprovers } from "../../../src/adapters/slack/approvers.js";
import { slackSettings } from "../../../src/adapters/slack/settings.js";
import { isConfigError, loadConfig } from "../../../src/config.js";

describe("approver entries", () => {
  it("tell user group ids (S…) from user ids in OCTO_APPROVERS", () => {
    expect(splitApprovers(["U0BOSS", "S0604QSJC", "W123A4BC5"])).toEqual({
      users: ["U0BOSS", "W123A4BC5"],
      groups: ["S0604QSJC"],
    });
  });
});

describe("Slack settings", () => {
  const base = { OCTO_LOG_LEVEL: "silent" };

  it("are absent without a bot token", () => {
    expect(slackSettings(loadConfig(base))).toBeUndefined();
  });

  it("choose HTTP with a signing secret and Socket Mode with an app token", () => {
    const http = slackSettings(
      loadConfig({ ...base, SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_SIGNING_SECRET: "s3cret", PORT: "4000" }),
    );
    expect(http).toMatchObject({ mode: "http", port: 4000, apiUrl: undefined });
    const socket = slackSettings(
      loadConfig({
        ...base,
        SLACK_BOT_TOKEN: "xoxb-1-2",
        SLACK_APP_TOKEN: "xapp-1-2",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        OCTO_APPROVERS: "U1, U2",
      }),
    );
    expect(socket).toMatchObject({
      mode: "socket",
      apiUrl: "http://127.0.0.1:9/api/",
      approvers: ["U1", "U2"],
    });
  });

  it("refuse an app token without a bot token, naming the variable", () => {
    try {
      slackSettings(loadConfig({ ...base, SLACK_APP_TOKEN: "xapp-1-2" }));
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error) && error.lines[0]).toMatch(/^SLACK_BOT_TOKEN:/);
    }
  });
});
