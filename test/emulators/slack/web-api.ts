import { assistantMethods } from "./assistant-api.js";
import { blockProblems, messageTextProblems } from "./block-checks.js";
import { fileObject } from "./files.js";
import {
  blocksOf,
  fail,
  invalidBlocks,
  type Method,
  type MethodContext,
  type MethodResult,
  messageJson,
  requireBot,
  str,
} from "./method-kit.js";
import type { EmulatedMessage } from "./state.js";
import { streamMethods } from "./streams.js";

export type { MethodContext, MethodResult } from "./method-kit.js";

function checkMessageBody(params: Record<string, unknown>): MethodResult | undefined {
  const text = params.text;
  const blocks = params.blocks;
  if (str(text) === undefined && blocksOf(blocks) === undefined) return fail("no_text");
  const problems = [
    ...messageTextProblems(text),
    ...(blocks === undefined ? [] : blockProblems(blocks, "message")),
  ];
  if (problems.length > 0) return blocks === undefined ? fail("msg_too_long") : invalidBlocks(problems);
  return undefined;
}

/** The Web API methods the bot uses, answered the way Slack answers them. */
const methods: Record<string, Method> = {
  ...streamMethods,
  "api.test": () => ({ ok: true }),

  "auth.test": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const { seed } = ctx.workspace;
    return {
      ok: true,
      url: `${ctx.baseUrl}/`,
      team: seed.teamDomain,
      user: "octo",
      team_id: seed.teamId,
      user_id: seed.botUserId,
      bot_id: seed.botId,
      is_enterprise_install: false,
    };
  },

  "chat.postMessage": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const channel = str(ctx.params.channel);
    if (!channel) return fail("channel_not_found");
    if (!ctx.workspace.hasChannel(channel)) return fail("channel_not_found");
    const bad = checkMessageBody(ctx.params);
    if (bad) return bad;
    const threadTs = str(ctx.params.thread_ts);
    if (threadTs && !ctx.workspace.message(channel, threadTs)) return fail("thread_not_found");
    const message: EmulatedMessage = {
      channel,
      ts: ctx.workspace.nextTs(),
      threadTs,
      user: undefined,
      botId: ctx.workspace.seed.botId,
      text: str(ctx.params.text) ?? "",
      blocks: blocksOf(ctx.params.blocks),
      revisions: [],
    };
    ctx.workspace.add(message);
    // "The status will be automatically cleared when the app sends a reply" (assistant.threads.setStatus).
    const assistant = threadTs ? ctx.workspace.assistantThread(channel, threadTs) : undefined;
    if (assistant) assistant.status = "";
    return { ok: true, channel, ts: message.ts, message: messageJson(message, ctx.workspace.seed.botUserId) };
  },

  "chat.update": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const channel = str(ctx.params.channel);
    const ts = str(ctx.params.ts);
    if (!channel || !ctx.workspace.hasChannel(channel)) return fail("channel_not_found");
    const message = ts ? ctx.workspace.message(channel, ts) : undefined;
    if (!message) return fail("message_not_found");
    if (message.botId !== ctx.workspace.seed.botId) return fail("cant_update_message");
    const bad = checkMessageBody(ctx.params);
    if (bad) return bad;
    message.revisions.push({ text: message.text, blocks: message.blocks });
    message.text = str(ctx.params.text) ?? "";
    message.blocks = blocksOf(ctx.params.blocks);
    return {
      ok: true,
      channel,
      ts: message.ts,
      text: message.text,
      message: messageJson(message, ctx.workspace.seed.botUserId),
    };
  },

  "chat.postEphemeral": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const channel = str(ctx.params.channel);
    const user = str(ctx.params.user);
    if (!channel || !ctx.workspace.hasChannel(channel)) return fail("channel_not_found");
    if (!user || !ctx.workspace.user(user)) return fail("user_not_found");
    const bad = checkMessageBody(ctx.params);
    if (bad) return bad;
    const messageTs = ctx.workspace.nextTs();
    ctx.workspace.ephemerals.push({
      channel,
      user,
      threadTs: str(ctx.params.thread_ts),
      text: str(ctx.params.text) ?? "",
      blocks: blocksOf(ctx.params.blocks),
      messageTs,
    });
    return { ok: true, message_ts: messageTs };
  },

  "views.open": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const triggerId = str(ctx.params.trigger_id);
    const grant = triggerId ? ctx.workspace.triggers.get(triggerId) : undefined;
    if (!triggerId || !grant) return fail("invalid_trigger_id");
    if (grant.used || Date.now() - grant.issuedAt > ctx.triggerTtlMs) return fail("expired_trigger_id");
    const view = ctx.params.view;
    if (typeof view !== "object" || view === null || Array.isArray(view)) return fail("invalid_arguments");
    const body = view as Record<string, unknown>;
    const title = (body.title as { text?: unknown } | undefined)?.text;
    if (body.type !== "modal" || typeof title !== "string" || [...title].length > 24) {
      return fail("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] bad modal type or title"] },
      });
    }
    const problems = blockProblems(body.blocks, "modal");
    if (problems.length > 0) return invalidBlocks(problems);
    grant.used = true;
    const id = ctx.workspace.nextId("V");
    ctx.workspace.views.push({ id, triggerId, user: grant.user, view: body });
    return { ok: true, view: { id, team_id: ctx.workspace.seed.teamId, ...body, state: { values: {} } } };
  },

  "users.info": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const user = ctx.workspace.user(str(ctx.params.user) ?? "");
    if (!user) return fail("user_not_found");
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: ctx.workspace.seed.teamId,
        name: user.name,
        real_name: user.name,
        locale: ctx.params.include_locale ? user.locale : undefined,
        is_bot: false,
        profile: { display_name: user.name, real_name: user.name },
      },
    };
  },

  "usergroups.users.list": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const id = str(ctx.params.usergroup);
    if (!id) return fail("invalid_arguments");
    const group = ctx.workspace.usergroup(id);
    if (!group) return fail("no_such_subteam");
    return { ok: true, users: [...group.users] };
  },

  "files.getUploadURLExternal": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const filename = str(ctx.params.filename);
    const length = Number(ctx.params.length);
    if (!filename || !Number.isInteger(length) || length <= 0) return fail("invalid_arguments");
    const id = ctx.workspace.nextId("F");
    ctx.workspace.files.set(id, {
      id,
      filename,
      length,
      altText: str(ctx.params.alt_text),
      data: undefined,
      title: undefined,
      created: Math.floor(Date.now() / 1000),
      user: undefined,
      mimetype: undefined,
      declaredSize: undefined,
      channel: undefined,
      threadTs: undefined,
      initialComment: undefined,
    });
    return { ok: true, upload_url: `${ctx.baseUrl}/upload/${id}`, file_id: id };
  },

  "files.completeUploadExternal": (ctx) => {
    const denied = requireBot(ctx);
    if (denied) return denied;
    const files = ctx.params.files;
    if (!Array.isArray(files) || files.length === 0) return fail("invalid_arguments");
    const channel = str(ctx.params.channel_id);
    if (channel && !ctx.workspace.hasChannel(channel)) return fail("channel_not_found");
    const threadTs = str(ctx.params.thread_ts);
    const completed: Record<string, unknown>[] = [];
    for (const entry of files as { id?: unknown; title?: unknown }[]) {
      const file = typeof entry.id === "string" ? ctx.workspace.files.get(entry.id) : undefined;
      if (!file) return fail("file_not_found");
      if (!file.data) return fail("file_upload_not_complete");
    }
    for (const entry of files as { id: string; title?: unknown }[]) {
      const file = ctx.workspace.files.get(entry.id);
      if (!file) continue;
      file.title = str(entry.title) ?? file.filename;
      file.channel = channel;
      file.threadTs = threadTs;
      file.initialComment = str(ctx.params.initial_comment);
      const { seed } = ctx.workspace;
      completed.push(
        fileObject(file, { origin: ctx.baseUrl, teamId: seed.teamId, botUserId: seed.botUserId }),
      );
    }
    return { ok: true, files: completed };
  },

  ...assistantMethods,

  "apps.connections.open": (ctx) => {
    if (ctx.auth === "none") return fail("not_authed");
    if (ctx.auth !== "app") return fail("not_allowed_token_type");
    return { ok: true, url: ctx.socketUrl() };
  },
};

export function callMethod(name: string, ctx: MethodContext): MethodResult {
  const method = methods[name];
  return method ? method(ctx) : fail("unknown_method");
}
