/**
 * The emulated Discord world's fixed cast, with stable snowflakes so a test can name them before the
 * emulator starts (and a restarted bot sees the same ids). The bot user's id equals the application id, as
 * for every application created since 2020.
 */
export interface UserFixture {
  id: string;
  username: string;
  globalName: string;
  /** The Discord client language the user runs (an interaction's `locale`). */
  locale: string;
  bot?: boolean;
  /** Guild role ids besides @everyone. */
  roles: string[];
}

export interface ChannelFixture {
  id: string;
  name: string;
}

export const APPLICATION_ID = "1300000000000000001";
/** A bot's user id is its application's id on Discord (knip reads an alias as a duplicate export). */
export const BOT_USER_ID = "1300000000000000001";
export const GUILD_ID = "1300000000000000010";
/** A role that `OCTO_APPROVERS` can name; BOSS holds it. */
export const APPROVER_ROLE = "1300000000000000020";
/** The managed role Discord gives a bot on invite. */
export const BOT_ROLE = "1300000000000000021";

export const BOT_USER: UserFixture = {
  id: BOT_USER_ID,
  username: "Octostrator",
  globalName: "Octostrator",
  locale: "en-US",
  bot: true,
  roles: [BOT_ROLE],
};
export const ALICE: UserFixture = {
  id: "1300000000000000101",
  username: "alice",
  globalName: "Alice",
  locale: "en-US",
  roles: [],
};
export const BOB: UserFixture = {
  id: "1300000000000000102",
  username: "bob",
  globalName: "Bob",
  locale: "en-US",
  roles: [],
};
export const BOSS: UserFixture = {
  id: "1300000000000000103",
  username: "boss",
  globalName: "The Boss",
  locale: "en-GB",
  roles: [APPROVER_ROLE],
};
export const MINJI: UserFixture = {
  id: "1300000000000000104",
  username: "minji",
  globalName: "민지",
  locale: "ko",
  roles: [],
};
/** Another application's bot in the same guild: its messages must never start a run. */
export const OTHER_BOT: UserFixture = {
  id: "1300000000000000105",
  username: "helperbot",
  globalName: "Helper Bot",
  locale: "en-US",
  bot: true,
  roles: [],
};

export const USERS: readonly UserFixture[] = [BOT_USER, ALICE, BOB, BOSS, MINJI, OTHER_BOT];

/** Text channels of the guild. */
export const GENERAL: ChannelFixture = { id: "1300000000000000201", name: "general" };
export const RANDOM: ChannelFixture = { id: "1300000000000000202", name: "random" };
/** Where the bot may read but neither post nor create threads (its role is denied both). */
export const LOCKED: ChannelFixture = { id: "1300000000000000203", name: "read-only" };

/** DM channels between the bot and each person. */
export const DMS: Readonly<
  Record<"alice" | "bob" | "boss" | "minji", ChannelFixture & { recipient: string }>
> = {
  alice: { id: "1300000000000000301", name: "alice", recipient: ALICE.id },
  bob: { id: "1300000000000000302", name: "bob", recipient: BOB.id },
  boss: { id: "1300000000000000303", name: "boss", recipient: BOSS.id },
  minji: { id: "1300000000000000304", name: "minji", recipient: MINJI.id },
};
