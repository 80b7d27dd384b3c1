import type { GatewayServer } from "./gateway.js";
import { INTENT } from "./gateway.js";
import type { InteractionStore, Reply } from "./interactions.js";
import { createMessage, editMessage } from "./messages.js";
import { apiChannel, apiGuild, apiMember, apiMessage, apiRoles, apiUser } from "./objects.js";
import {
  CHANNEL_TYPE,
  type DiscordWorld,
  type EmulatedChannel,
  type EmulatedMessage,
  PERMISSION,
  type StoredCommand,
} from "./state.js";
import { checkMessage, FormErrors, formError, type UploadedFile } from "./validation.js";

/**
 * Discord's REST API v10 for the routes a bot uses, each named by its template (the name tests wait on
 * and fault plans target). Bot routes need `Authorization: Bot <token>`; interaction callbacks and
 * webhooks are authorized by the token in their path instead.
 */
export interface RestRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  files: UploadedFile[];
}

export interface RestHost {
  world: DiscordWorld;
  gateway: GatewayServer;
  interactions: InteractionStore;
  origin: () => string;
  requireAllowedMentions: boolean;
  publicKeyHex: string;
  messageContentIntentAllowed: boolean;
  /** MESSAGE_CREATE / MESSAGE_UPDATE for a message the bot made through REST. */
  created: (message: EmulatedMessage) => void;
  updated: (message: EmulatedMessage) => void;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  keys: string[];
  /** `bot`: needs the bot token; `path`: authorized by the interaction token in the path; `public`: neither. */
  auth: "bot" | "path" | "public";
  handle: (host: RestHost, request: RestRequest) => Reply;
}

const routes: Route[] = [];

function route(method: string, template: string, auth: Route["auth"], handle: Route["handle"]): void {
  const keys: string[] = [];
  const source = template
    .split("/")
    .map((part) => {
      if (!part.startsWith(":")) return part.replace(/[.*+?^${}()|[\]\\@]/g, "\\$&");
      keys.push(part.slice(1));
      return "([^/]+)";
    })
    .join("/");
  routes.push({ method, template, pattern: new RegExp(`^${source}$`), keys, auth, handle });
}

export interface MatchedRoute {
  route: Route;
  params: Record<string, string>;
}

/** `path` without the `/api` or `/api/v10` prefix, still percent-encoded (discord.js sends `%40original`). */
export function matchRoute(method: string, rawPath: string): MatchedRoute | undefined {
  let path: string;
  try {
    path = rawPath
      .split("/")
      .map((segment) => decodeURIComponent(segment))
      .join("/");
  } catch {
    return undefined;
  }
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(candidate.keys.map((key, index) => [key, match[index + 1] ?? ""]));
    return { route: candidate, params };
  }
  return undefined;
}

const ok = (body: unknown, status = 200): Reply => ({ status, body });
const UNKNOWN_CHANNEL: Reply = { status: 404, body: { code: 10003, message: "Unknown Channel" } };
const UNKNOWN_MESSAGE: Reply = { status: 404, body: { code: 10008, message: "Unknown Message" } };
const UNKNOWN_GUILD: Reply = { status: 404, body: { code: 10004, message: "Unknown Guild" } };
const MISSING_PERMISSIONS: Reply = { status: 403, body: { code: 50013, message: "Missing Permissions" } };
const MISSING_ACCESS: Reply = { status: 403, body: { code: 50001, message: "Missing Access" } };
const WRONG_CHANNEL_TYPE: Reply = {
  status: 400,
  body: { code: 50024, message: "Cannot execute action on this channel type" },
};

/** Whether the bot holds every bit of `permission` there (DMs: always). */
function hasPermission(host: RestHost, channel: EmulatedChannel, permission: bigint): boolean {
  return !channel.guildId || (host.world.botPermissions(channel.id) & permission) === permission;
}

route("GET", "/gateway", "public", (host) => ok({ url: host.gateway.url }));
route("GET", "/gateway/bot", "bot", (host) =>
  ok({
    url: host.gateway.url,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
  }),
);
route("GET", "/users/@me", "bot", (host) => {
  const bot = host.world.user(host.world.botUserId);
  return ok({ ...(bot ? apiUser(bot) : {}), verified: true, mfa_enabled: false, locale: "en-US" });
});
route("GET", "/applications/@me", "bot", (host) => {
  const bot = host.world.user(host.world.botUserId);
  return ok({
    id: host.world.applicationId,
    name: "Octostrator",
    icon: null,
    description: "",
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: host.publicKeyHex,
    // GATEWAY_MESSAGE_CONTENT_LIMITED (1 << 19): an unverified app with the portal switch on.
    flags: host.messageContentIntentAllowed ? 1 << 19 : 0,
    team: null,
    bot: bot ? apiUser(bot) : null,
    approximate_guild_count: 1,
    interactions_endpoint_url: null,
  });
});
route("GET", "/channels/:id", "bot", (host, { params }) => {
  const channel = host.world.channel(params.id ?? "");
  return channel ? ok(apiChannel(host.world, channel)) : UNKNOWN_CHANNEL;
});
route("GET", "/guilds/:id", "bot", (host, { params }) => {
  if (params.id !== host.world.guildId) return UNKNOWN_GUILD;
  const { members: _members, channels: _channels, threads: _threads, ...guild } = apiGuild(host.world);
  return ok(guild);
});
route("GET", "/guilds/:id/members/:user", "bot", (host, { params }) => {
  if (params.id !== host.world.guildId) return UNKNOWN_GUILD;
  if (!host.world.user(params.user ?? ""))
    return { status: 404, body: { code: 10007, message: "Unknown Member" } };
  return ok(apiMember(host.world, params.user ?? ""));
});
route("GET", "/guilds/:id/channels", "bot", (host, { params }) => {
  if (params.id !== host.world.guildId) return UNKNOWN_GUILD;
  const channels = [...host.world.channels.values()].filter(
    (channel) => channel.guildId === params.id && !host.world.isThread(channel),
  );
  return ok(channels.map((channel) => apiChannel(host.world, channel)));
});
route("GET", "/guilds/:id/roles", "bot", (host, { params }) =>
  params.id === host.world.guildId ? ok(apiRoles(host.world)) : UNKNOWN_GUILD,
);

route("POST", "/channels/:id/messages", "bot", (host, { params, body, files }) => {
  const channel = host.world.channel(params.id ?? "");
  if (!channel) return UNKNOWN_CHANNEL;
  const needed = host.world.isThread(channel) ? PERMISSION.sendMessagesInThreads : PERMISSION.sendMessages;
  if (!hasPermission(host, channel, needed | PERMISSION.viewChannel)) return MISSING_PERMISSIONS;
  if (files.length > 0 && !hasPermission(host, channel, PERMISSION.attachFiles)) return MISSING_PERMISSIONS;
  const reference = body.message_reference as { message_id?: unknown } | undefined;
  if (reference?.message_id !== undefined && !host.world.message(String(reference.message_id)))
    return formError(["message_reference"], "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
  const problem = checkMessage({
    body,
    files,
    creating: true,
    requireAllowedMentions: host.requireAllowedMentions,
  });
  if (problem) return problem;
  const message = createMessage(host.world, host.origin(), {
    channelId: channel.id,
    authorId: host.world.botUserId,
    body,
    files,
  });
  host.created(message);
  return ok(apiMessage(host.world, message));
});
route("GET", "/channels/:id/messages", "bot", (host, { params, query }) => {
  if (!host.world.channel(params.id ?? "")) return UNKNOWN_CHANNEL;
  const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 50)));
  const newestFirst = host.world
    .messages(params.id ?? "")
    .reverse()
    .slice(0, limit);
  return ok(newestFirst.map((message) => apiMessage(host.world, message)));
});
route("GET", "/channels/:id/messages/:mid", "bot", (host, { params }) => {
  const message = host.world.message(params.mid ?? "");
  if (!host.world.channel(params.id ?? "")) return UNKNOWN_CHANNEL;
  return message && message.channelId === params.id ? ok(apiMessage(host.world, message)) : UNKNOWN_MESSAGE;
});
route("PATCH", "/channels/:id/messages/:mid", "bot", (host, { params, body, files }) => {
  if (!host.world.channel(params.id ?? "")) return UNKNOWN_CHANNEL;
  const message = host.world.message(params.mid ?? "");
  if (!message || message.channelId !== params.id) return UNKNOWN_MESSAGE;
  if (message.authorId !== host.world.botUserId)
    return { status: 403, body: { code: 50005, message: "Cannot edit a message authored by another user" } };
  const problem = checkMessage({
    body,
    files,
    creating: false,
    requireAllowedMentions: host.requireAllowedMentions,
    keptFilenames: message.attachments.map((attachment) => attachment.filename),
  });
  if (problem) return problem;
  editMessage(host.world, host.origin(), message, body, files);
  host.updated(message);
  return ok(apiMessage(host.world, message));
});
route("DELETE", "/channels/:id/messages/:mid", "bot", (host, { params }) => {
  const message = host.world.message(params.mid ?? "");
  if (!message || message.channelId !== params.id) return UNKNOWN_MESSAGE;
  if (message.authorId !== host.world.botUserId) return MISSING_PERMISSIONS;
  host.world.deleteMessage(message.id);
  host.gateway.dispatch(
    "MESSAGE_DELETE",
    {
      id: message.id,
      channel_id: message.channelId,
      ...(message.guildId ? { guild_id: message.guildId } : {}),
    },
    { intent: message.guildId ? INTENT.guildMessages : INTENT.directMessages },
  );
  return { status: 204 };
});
route("POST", "/channels/:id/typing", "bot", (host, { params }) =>
  host.world.channel(params.id ?? "") ? { status: 204 } : UNKNOWN_CHANNEL,
);

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

function threadProblem(body: Record<string, unknown>): Reply | undefined {
  const name = body.name;
  if (typeof name !== "string" || name.length < 1 || name.length > 100)
    return formError(["name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
  if (
    body.auto_archive_duration !== undefined &&
    !ARCHIVE_DURATIONS.includes(Number(body.auto_archive_duration))
  )
    return formError(
      ["auto_archive_duration"],
      "BASE_TYPE_CHOICES",
      "Value must be one of (60, 1440, 4320, 10080).",
    );
  return undefined;
}

function openThread(
  host: RestHost,
  parent: EmulatedChannel,
  id: string,
  type: number,
  body: Record<string, unknown>,
  starter: EmulatedMessage | undefined,
): Reply {
  const world = host.world;
  const thread = world.addChannel({
    id,
    type,
    name: String(body.name),
    guildId: parent.guildId,
    parentId: parent.id,
    recipientId: undefined,
    ownerId: world.botUserId,
    starterMessageId: starter?.id,
    autoArchiveMinutes: Number(body.auto_archive_duration ?? parent.autoArchiveMinutes),
  });
  if (starter) starter.threadId = thread.id;
  const member = {
    id: thread.id,
    user_id: world.botUserId,
    join_timestamp: new Date().toISOString(),
    flags: 0,
  };
  host.gateway.dispatch(
    "THREAD_CREATE",
    { ...apiChannel(world, thread), newly_created: true, member },
    { intent: INTENT.guilds },
  );
  return ok({ ...apiChannel(world, thread), member }, 201);
}

route("POST", "/channels/:id/messages/:mid/threads", "bot", (host, { params, body }) => {
  const channel = host.world.channel(params.id ?? "");
  if (!channel) return UNKNOWN_CHANNEL;
  if (channel.type !== CHANNEL_TYPE.text) return WRONG_CHANNEL_TYPE;
  const message = host.world.message(params.mid ?? "");
  if (!message || message.channelId !== channel.id) return UNKNOWN_MESSAGE;
  if (!hasPermission(host, channel, PERMISSION.createPublicThreads)) return MISSING_PERMISSIONS;
  if (message.threadId)
    return {
      status: 400,
      body: { code: 160004, message: "A thread has already been created for this message" },
    };
  const problem = threadProblem(body);
  if (problem) return problem;
  // Discord gives a thread made from a message that message's id.
  return openThread(host, channel, message.id, CHANNEL_TYPE.publicThread, body, message);
});
route("POST", "/channels/:id/threads", "bot", (host, { params, body }) => {
  const channel = host.world.channel(params.id ?? "");
  if (!channel) return UNKNOWN_CHANNEL;
  if (channel.type !== CHANNEL_TYPE.text) return WRONG_CHANNEL_TYPE;
  const type = body.type === undefined ? CHANNEL_TYPE.privateThread : Number(body.type);
  if (type !== CHANNEL_TYPE.publicThread && type !== CHANNEL_TYPE.privateThread)
    return formError(["type"], "BASE_TYPE_CHOICES", "Value must be one of (11, 12).");
  const needed =
    type === CHANNEL_TYPE.publicThread ? PERMISSION.createPublicThreads : PERMISSION.createPrivateThreads;
  if (!hasPermission(host, channel, needed)) return MISSING_PERMISSIONS;
  const problem = threadProblem(body);
  if (problem) return problem;
  return openThread(host, channel, host.world.nextId(), type, body, undefined);
});
route("PUT", "/channels/:id/thread-members/@me", "bot", (host, { params }) => {
  const channel = host.world.channel(params.id ?? "");
  return channel && host.world.isThread(channel) ? { status: 204 } : UNKNOWN_CHANNEL;
});

route("POST", "/interactions/:id/:token/callback", "path", (host, { params, body, files, query }) =>
  host.interactions.respond(
    params.id ?? "",
    params.token ?? "",
    body,
    files,
    "rest",
    query.get("with_response") === "true",
  ),
);
for (const method of ["GET", "PATCH", "DELETE"]) {
  route(method, "/webhooks/:app/:token/messages/@original", "path", (host, { params, body, files }) =>
    host.interactions.webhook(method, params.app ?? "", params.token ?? "", "@original", body, files, true),
  );
  route(method, "/webhooks/:app/:token/messages/:mid", "path", (host, { params, body, files }) =>
    host.interactions.webhook(method, params.app ?? "", params.token ?? "", params.mid, body, files, true),
  );
}
route("POST", "/webhooks/:app/:token", "path", (host, { params, body, files, query }) =>
  host.interactions.webhook(
    "POST",
    params.app ?? "",
    params.token ?? "",
    undefined,
    body,
    files,
    query.get("wait") === "true",
  ),
);

function commandScope(host: RestHost, params: Record<string, string>): string | Reply {
  if (params.app !== host.world.applicationId) return MISSING_ACCESS;
  if (params.guild === undefined) return "global";
  return params.guild === host.world.guildId ? params.guild : MISSING_ACCESS;
}

function overwriteCommands(
  host: RestHost,
  params: Record<string, string>,
  body: Record<string, unknown>,
): Reply {
  const scope = commandScope(host, params);
  if (typeof scope !== "string") return scope;
  const list = body._array;
  if (!Array.isArray(list)) return formError([], "BASE_TYPE_LIST", "Must be a list.");
  const errors = new FormErrors();
  list.forEach((command, index) => {
    checkCommand(command as Record<string, unknown>, [index], errors);
  });
  if (list.length > 100) errors.add([], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
  if (!errors.empty) return errors.toError();
  const previous = host.world.commands.get(scope) ?? [];
  const stored: StoredCommand[] = (list as Record<string, unknown>[]).map((command) => ({
    type: 1,
    ...command,
    // Overwriting keeps the id of a command with the same name, as Discord does.
    id: previous.find((old) => old.name === command.name)?.id ?? host.world.nextId(),
    application_id: host.world.applicationId,
    ...(scope === "global" ? {} : { guild_id: scope }),
    version: host.world.nextId(),
    default_member_permissions: command.default_member_permissions ?? null,
  }));
  host.world.commands.set(scope, stored);
  return ok(stored);
}

for (const template of ["/applications/:app/commands", "/applications/:app/guilds/:guild/commands"]) {
  route("PUT", template, "bot", (host, { params, body }) => overwriteCommands(host, params, body));
  route("GET", template, "bot", (host, { params }) => {
    const scope = commandScope(host, params);
    return typeof scope === "string" ? ok(host.world.commands.get(scope) ?? []) : scope;
  });
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkCommand(
  command: Record<string, unknown>,
  path: (string | number)[],
  errors: FormErrors,
  depth = 0,
): void {
  const name = command.name;
  if (typeof name !== "string" || !COMMAND_NAME.test(name) || name !== name.toLowerCase())
    errors.add([...path, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  const isChatInput = depth > 0 || command.type === undefined || command.type === 1;
  const description = command.description;
  if (isChatInput) errors.requireLength([...path, "description"], description, 1, 100);
  const options = command.options;
  if (options === undefined) return;
  if (!Array.isArray(options) || options.length > 25) {
    errors.add([...path, "options"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    return;
  }
  options.forEach((raw, index) => {
    const option = raw as Record<string, unknown>;
    const optionPath = [...path, "options", index];
    checkCommand(option, optionPath, errors, depth + 1);
    if (typeof option.type !== "number" || option.type < 1 || option.type > 11)
      errors.add([...optionPath, "type"], "BASE_TYPE_CHOICES", "Value must be one of (1 ... 11).");
    if (Array.isArray(option.choices) && option.choices.length > 25)
      errors.add([...optionPath, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    if (typeof option.max_length === "number" && option.max_length > 6000)
      errors.add(
        [...optionPath, "max_length"],
        "NUMBER_TYPE_MAX",
        "int value should be less than or equal to 6000.",
      );
  });
}
