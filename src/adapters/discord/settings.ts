import type { Config } from "../../config.js";

/** What the Discord adapter reads from the environment; undefined without DISCORD_TOKEN. */
export interface DiscordSettings {
  token: string;
  /** REST base (`DISCORD_API_URL`); undefined means Discord's own https://discord.com/api. */
  apiUrl: string | undefined;
  /**
   * OCTO_APPROVERS entries that are Discord ids. Users and roles are both snowflakes and never share
   * one, so each entry counts as a person (the service's check) and as a role (the member's roles).
   */
  approvers: readonly string[];
  /** Requests longer than this are refused before a thread is opened for them. */
  maxInputChars: number;
  /** The worker role posts only: no gateway connection, no interactions received. */
  postOnly: boolean;
}

export const DEFAULT_API_URL = "https://discord.com/api";

const SNOWFLAKE = /^\d{15,21}$/;

export function discordSettings(config: Config): DiscordSettings | undefined {
  const token = config.DISCORD_TOKEN;
  if (!token) return undefined;
  return {
    token,
    apiUrl: config.DISCORD_API_URL,
    approvers: config.OCTO_APPROVERS.filter((entry) => SNOWFLAKE.test(entry)),
    maxInputChars: config.OCTO_MAX_INPUT_CHARS,
    postOnly: config.OCTO_ROLE === "worker",
  };
}
