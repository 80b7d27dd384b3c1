import type { z } from "zod";
import { DISCORD_LIMITS, DiscordEmbedSchema, embedLength } from "../../../src/renderers/discord/limits.js";

/**
 * Checks a message body the bot sends (create, edit, interaction response, follow-up) as Discord does,
 * answering with Discord's own error shapes: 400 `{code: 50035, message: "Invalid Form Body", errors}` with
 * errors nested by field path, 50006 for an empty message, 413/40005 for an oversized file. One rule is the
 * project's, not Discord's: messages the bot creates must carry `allowed_mentions` that never lets text
 * ping @everyone, roles or users by parsing (explicit id lists stay allowed); turn it off with
 * `requireAllowedMentions: false`.
 */
export interface UploadedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  /** The n of `files[n]`, which `attachments[].id` refers to. */
  index: number | undefined;
  filename: string;
  contentType: string | undefined;
  size: number;
  data: Buffer;
}

export interface DiscordError {
  status: number;
  body: Record<string, unknown>;
}

export interface MessageCheck {
  body: Record<string, unknown>;
  files: UploadedFile[];
  /** Creating a message (content required, allowed_mentions policy) rather than editing one. */
  creating: boolean;
  requireAllowedMentions: boolean;
  /** File names of attachments the message keeps (edits), for `attachment://` references. */
  keptFilenames?: string[];
  /** Only interaction responses and follow-ups may be ephemeral. */
  ephemeralAllowed?: boolean;
  maxFileBytes?: number;
}

const MESSAGE_FLAGS = { suppressEmbeds: 4, ephemeral: 64, silent: 4096, componentsV2: 32768 } as const;

/** Field errors in Discord's nesting: `{embeds: {"0": {title: {_errors: [{code, message}]}}}}`. */
export class FormErrors {
  private readonly tree: Record<string, unknown> = {};
  private count = 0;

  add(path: readonly (string | number | symbol)[], code: string, message: string): void {
    let node = this.tree;
    for (const part of path) {
      const key = String(part);
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node._errors ??= [];
    const list = node._errors as { code: string; message: string }[];
    list.push({ code, message });
    this.count += 1;
  }

  /** A string field that must hold `min`..`max` characters (absent counts as 0). */
  requireLength(path: readonly (string | number)[], value: unknown, min: number, max: number): void {
    const length = typeof value === "string" ? value.length : -1;
    if (length < min || length > max)
      this.add(path, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`);
  }

  addZod(prefix: (string | number)[], issues: readonly z.core.$ZodIssue[]): void {
    for (const issue of issues) {
      const [code, message] = describeIssue(issue);
      this.add([...prefix, ...issue.path], code, message);
    }
  }

  get empty(): boolean {
    return this.count === 0;
  }

  toError(): DiscordError {
    return { status: 400, body: { code: 50035, message: "Invalid Form Body", errors: this.tree } };
  }
}

function describeIssue(issue: z.core.$ZodIssue): [string, string] {
  if (issue.code === "too_big") {
    const kind = issue.origin === "string" ? "length" : "size";
    return ["BASE_TYPE_MAX_LENGTH", `Must be ${String(issue.maximum)} or fewer in ${kind}.`];
  }
  if (issue.code === "too_small")
    return ["BASE_TYPE_MIN_LENGTH", `Must be ${String(issue.minimum)} or more in length.`];
  if (issue.code === "invalid_type" && issue.input === undefined)
    return ["BASE_TYPE_REQUIRED", "This field is required"];
  return ["BASE_TYPE_BAD", issue.message];
}

/** A 400 Invalid Form Body naming one field. */
export function formError(path: (string | number)[], code: string, message: string): DiscordError {
  const errors = new FormErrors();
  errors.add(path, code, message);
  return errors.toError();
}

export function checkMessage(check: MessageCheck): DiscordError | undefined {
  const { body, files } = check;
  const maxFileBytes = check.maxFileBytes ?? DISCORD_LIMITS.attachmentBytes;
  if (files.some((file) => file.size > maxFileBytes)) {
    return { status: 413, body: { code: 40005, message: "Request entity too large" } };
  }
  const errors = new FormErrors();
  const content = body.content;
  if (content !== undefined && content !== null) {
    if (typeof content !== "string") errors.add(["content"], "BASE_TYPE_STRING", "Must be a string.");
    else if (content.length > DISCORD_LIMITS.content)
      errors.add(
        ["content"],
        "BASE_TYPE_MAX_LENGTH",
        `Must be ${DISCORD_LIMITS.content} or fewer in length.`,
      );
  }
  const flags = typeof body.flags === "number" ? body.flags : 0;
  if (flags & MESSAGE_FLAGS.ephemeral && !check.ephemeralAllowed)
    errors.add(
      ["flags"],
      "MESSAGE_FLAGS_INVALID",
      "Ephemeral messages can only be sent as interaction responses",
    );
  const attachmentNames = checkAttachments(body, files, errors);
  checkEmbeds(body.embeds, [...attachmentNames, ...(check.keptFilenames ?? [])], errors);
  checkComponents(body.components, flags, errors);
  checkAllowedMentions(body, check, errors);
  if (!errors.empty) return errors.toError();
  if (check.creating && isEmpty(body, files)) {
    return { status: 400, body: { code: 50006, message: "Cannot send an empty message" } };
  }
  return undefined;
}

function isEmpty(body: Record<string, unknown>, files: UploadedFile[]): boolean {
  const has = (value: unknown) => (Array.isArray(value) ? value.length > 0 : Boolean(value));
  return !(
    has(body.content) ||
    has(body.embeds) ||
    has(body.components) ||
    files.length > 0 ||
    has(body.sticker_ids) ||
    has(body.poll)
  );
}

/** Returns the file names this request uploads (as `attachment://` can name them). */
function checkAttachments(
  body: Record<string, unknown>,
  files: UploadedFile[],
  errors: FormErrors,
): string[] {
  if (files.length > DISCORD_LIMITS.attachmentsPerMessage)
    errors.add(
      ["files"],
      "BASE_TYPE_MAX_LENGTH",
      `Must be ${DISCORD_LIMITS.attachmentsPerMessage} or fewer in length.`,
    );
  const names = files.map((file) => file.filename);
  if (!Array.isArray(body.attachments)) return names;
  body.attachments.forEach((raw, index) => {
    const attachment = (raw ?? {}) as Record<string, unknown>;
    if (attachment.id === undefined)
      errors.add(["attachments", index, "id"], "BASE_TYPE_REQUIRED", "This field is required");
    const description = attachment.description;
    if (typeof description === "string" && description.length > DISCORD_LIMITS.attachmentDescription)
      errors.add(
        ["attachments", index, "description"],
        "BASE_TYPE_MAX_LENGTH",
        `Must be ${DISCORD_LIMITS.attachmentDescription} or fewer in length.`,
      );
    if (typeof attachment.filename === "string") names.push(attachment.filename);
  });
  return names;
}

function checkEmbeds(raw: unknown, attachmentNames: string[], errors: FormErrors): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) {
    errors.add(["embeds"], "BASE_TYPE_LIST", "Must be a list.");
    return;
  }
  if (raw.length > DISCORD_LIMITS.embedsPerMessage)
    errors.add(
      ["embeds"],
      "BASE_TYPE_MAX_LENGTH",
      `Must be ${DISCORD_LIMITS.embedsPerMessage} or fewer in length.`,
    );
  let total = 0;
  raw.forEach((embed, index) => {
    const parsed = DiscordEmbedSchema.safeParse(embed);
    if (!parsed.success) {
      errors.addZod(["embeds", index], parsed.error.issues);
      return;
    }
    total += embedLength(parsed.data);
    for (const media of ["image", "thumbnail"] as const) {
      const url = ((embed as Record<string, unknown>)[media] as { url?: unknown } | undefined)?.url;
      if (typeof url !== "string" || !url.startsWith("attachment://")) continue;
      const name = url.slice("attachment://".length);
      if (!attachmentNames.includes(name))
        errors.add(
          ["embeds", index, media, "url"],
          "ATTACHMENT_NOT_FOUND",
          `No attachment named "${name}" in this message`,
        );
    }
  });
  if (total > DISCORD_LIMITS.embedTotal)
    errors.add(
      ["embeds"],
      "MAX_EMBED_SIZE_EXCEEDED",
      `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`,
    );
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function checkComponents(raw: unknown, flags: number, errors: FormErrors): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) {
    errors.add(["components"], "BASE_TYPE_LIST", "Must be a list.");
    return;
  }
  const ids = new Set<string>();
  const checkId = (path: (string | number)[], value: unknown) => {
    if (typeof value !== "string" || value.length === 0) {
      errors.add([...path, "custom_id"], "BASE_TYPE_REQUIRED", "This field is required");
      return;
    }
    if (value.length > DISCORD_LIMITS.customId)
      errors.add(
        [...path, "custom_id"],
        "BASE_TYPE_MAX_LENGTH",
        `Must be ${DISCORD_LIMITS.customId} or fewer in length.`,
      );
    if (ids.has(value))
      errors.add(
        [...path, "custom_id"],
        "COMPONENT_CUSTOM_ID_DUPLICATED",
        "Component custom id cannot be duplicated",
      );
    ids.add(value);
  };
  if (flags & MESSAGE_FLAGS.componentsV2) {
    // Components V2 layouts are not modelled beyond their custom ids.
    walk(raw, ["components"], (node, path) => {
      if (node.custom_id !== undefined) checkId(path, node.custom_id);
    });
    return;
  }
  if (raw.length > DISCORD_LIMITS.actionRows)
    errors.add(
      ["components"],
      "BASE_TYPE_MAX_LENGTH",
      `Must be ${DISCORD_LIMITS.actionRows} or fewer in length.`,
    );
  raw.forEach((row, rowIndex) => {
    const path = ["components", rowIndex];
    const record = (row ?? {}) as Record<string, unknown>;
    if (record.type !== 1) {
      errors.add(
        [...path, "type"],
        "UNION_TYPE_CHOICES",
        "Top-level components must be action rows (type 1) without the components V2 flag",
      );
      return;
    }
    const children = Array.isArray(record.components) ? (record.components as Record<string, unknown>[]) : [];
    if (children.length === 0 || children.length > DISCORD_LIMITS.buttonsPerRow)
      errors.add(
        [...path, "components"],
        "BASE_TYPE_BAD_LENGTH",
        `Must be between 1 and ${DISCORD_LIMITS.buttonsPerRow} in length.`,
      );
    const hasSelect = children.some((child) => SELECT_TYPES.has(child.type as number));
    if (hasSelect && children.length > 1)
      errors.add(
        [...path, "components"],
        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
        "The specified component exceeds the maximum width",
      );
    children.forEach((child, childIndex) => {
      const childPath = [...path, "components", childIndex];
      if (child.type === 2) checkButton(child, childPath, checkId, errors);
      else if (SELECT_TYPES.has(child.type as number)) {
        checkId(childPath, child.custom_id);
        if (
          child.type === 3 &&
          (!Array.isArray(child.options) || child.options.length < 1 || child.options.length > 25)
        )
          errors.add(
            [...childPath, "options"],
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 25 in length.",
          );
      } else
        errors.add(
          [...childPath, "type"],
          "COMPONENT_TYPE_INVALID",
          `Component type ${String(child.type)} is not allowed in a message action row`,
        );
    });
  });
}

function checkButton(
  button: Record<string, unknown>,
  path: (string | number)[],
  checkId: (path: (string | number)[], value: unknown) => void,
  errors: FormErrors,
): void {
  const style = button.style;
  if (typeof style !== "number" || style < 1 || style > 6) {
    errors.add([...path, "style"], "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6).");
    return;
  }
  if (style === 5) {
    if (typeof button.url !== "string")
      errors.add([...path, "url"], "BASE_TYPE_REQUIRED", "This field is required");
    if (button.custom_id !== undefined)
      errors.add(
        [...path, "custom_id"],
        "BUTTON_CUSTOM_ID_NOT_ALLOWED",
        "Link buttons cannot have a custom_id",
      );
  } else if (style !== 6) {
    checkId(path, button.custom_id);
    if (button.url !== undefined)
      errors.add([...path, "url"], "BUTTON_URL_NOT_ALLOWED", "Only link buttons can have a url");
  }
  if (typeof button.label === "string" && button.label.length > DISCORD_LIMITS.buttonLabel)
    errors.add(
      [...path, "label"],
      "BASE_TYPE_MAX_LENGTH",
      `Must be ${DISCORD_LIMITS.buttonLabel} or fewer in length.`,
    );
  if (style !== 6 && !button.label && !button.emoji)
    errors.add([...path, "label"], "BUTTON_LABEL_OR_EMOJI_REQUIRED", "A button needs a label or an emoji");
}

function checkAllowedMentions(body: Record<string, unknown>, check: MessageCheck, errors: FormErrors): void {
  const raw = body.allowed_mentions;
  if (raw === undefined || raw === null) {
    if (check.creating && check.requireAllowedMentions)
      errors.add(
        ["allowed_mentions"],
        "EMULATOR_ALLOWED_MENTIONS_REQUIRED",
        "Set allowed_mentions: model or user text must not ping anyone (project rule)",
      );
    return;
  }
  const mentions = raw as { parse?: unknown; users?: unknown; roles?: unknown };
  const parse = Array.isArray(mentions.parse) ? (mentions.parse as unknown[]) : [];
  parse.forEach((value, index) => {
    if (value !== "users" && value !== "roles" && value !== "everyone")
      errors.add(
        ["allowed_mentions", "parse", index],
        "BASE_TYPE_CHOICES",
        "Value must be one of ('roles', 'users', 'everyone').",
      );
  });
  for (const kind of ["users", "roles"] as const) {
    const list = mentions[kind];
    if (Array.isArray(list) && parse.includes(kind))
      errors.add(
        ["allowed_mentions"],
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
        `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
      );
    if (Array.isArray(list) && list.length > 100)
      errors.add(["allowed_mentions", kind], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
  }
  if (check.requireAllowedMentions && parse.length > 0)
    errors.add(
      ["allowed_mentions", "parse"],
      "EMULATOR_ALLOWED_MENTIONS_PARSE",
      `parse ${JSON.stringify(parse)} lets text ping; use parse: [] and explicit ids (project rule)`,
    );
}

/** A modal (interaction response type 9): title, custom id, 1-5 rows of text inputs (or labelled components). */
export function checkModal(data: unknown): DiscordError | undefined {
  const errors = new FormErrors();
  const modal = (data ?? {}) as Record<string, unknown>;
  const path = ["data"];
  errors.requireLength([...path, "custom_id"], modal.custom_id, 1, DISCORD_LIMITS.customId);
  errors.requireLength([...path, "title"], modal.title, 1, 45);
  const rows = Array.isArray(modal.components) ? (modal.components as Record<string, unknown>[]) : [];
  if (rows.length === 0 || rows.length > 5)
    errors.add([...path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
  rows.forEach((row, index) => {
    const rowPath = [...path, "components", index];
    if (row.type === 1) {
      const inputs = Array.isArray(row.components) ? (row.components as Record<string, unknown>[]) : [];
      if (inputs.length !== 1 || inputs[0]?.type !== 4)
        errors.add(
          [...rowPath, "components"],
          "MODAL_ROW_INVALID",
          "A modal action row holds exactly one text input",
        );
      else checkTextInput(inputs[0], [...rowPath, "components", 0], true, errors);
    } else if (row.type === 18) {
      errors.requireLength([...rowPath, "label"], row.label, 1, 45);
      const inner = (row.component ?? {}) as Record<string, unknown>;
      if (inner.type === 4) checkTextInput(inner, [...rowPath, "component"], false, errors);
    } else if (row.type !== 10) {
      errors.add(
        [...rowPath, "type"],
        "COMPONENT_TYPE_INVALID",
        `Component type ${String(row.type)} is not allowed in a modal`,
      );
    }
  });
  return errors.empty ? undefined : errors.toError();
}

function checkTextInput(
  input: Record<string, unknown>,
  path: (string | number)[],
  needsLabel: boolean,
  errors: FormErrors,
): void {
  errors.requireLength([...path, "custom_id"], input.custom_id, 1, DISCORD_LIMITS.customId);
  if (input.style !== 1 && input.style !== 2)
    errors.add([...path, "style"], "BASE_TYPE_CHOICES", "Value must be one of (1, 2).");
  if (needsLabel) errors.requireLength([...path, "label"], input.label, 1, 45);
  for (const field of ["value", "max_length"] as const) {
    const value = input[field];
    const size = typeof value === "string" ? value.length : typeof value === "number" ? value : 0;
    if (size > 4000) errors.add([...path, field], "BASE_TYPE_MAX_LENGTH", "Must be 4000 or fewer in length.");
  }
  if (typeof input.placeholder === "string" && input.placeholder.length > 100)
    errors.add([...path, "placeholder"], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
}

function walk(
  nodes: unknown[],
  path: (string | number)[],
  visit: (node: Record<string, unknown>, path: (string | number)[]) => void,
): void {
  nodes.forEach((raw, index) => {
    if (typeof raw !== "object" || raw === null) return;
    const node = raw as Record<string, unknown>;
    visit(node, [...path, index]);
    if (Array.isArray(node.components)) walk(node.components, [...path, index, "components"], visit);
    if (node.accessory) walk([node.accessory], [...path, index, "accessory"], visit);
    if (node.component) walk([node.component], [...path, index, "component"], visit);
  });
}
