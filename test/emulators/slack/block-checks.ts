/**
 * The Block Kit limits Slack enforces with `invalid_blocks` (docs.slack.dev/reference/block-kit/blocks):
 * 50 blocks per message and 100 per modal, section text 3000, header 150, context 10 elements, actions
 * 25 elements, button text 75 and value 2000, action_id and block_id 255; a context_actions block holds
 * one to five feedback_buttons or icon_button elements (feedback buttons: both buttons, each with
 * plain_text of at most 75 and a value of at most 2000, accessibility_label at most 75; icon buttons:
 * `icon` "trash" and plain_text). The emulator refuses the same payloads so a renderer that overflows
 * fails in tests rather than in a customer's workspace.
 */
const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  messageText: 40_000,
  contextActionsElements: 5,
  accessibilityLabel: 75,
} as const;

/** The only icon an icon_button may show, for now (docs.slack.dev, icon button element). */
const ICONS = new Set(["trash"]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === "string" ? value.text : undefined;
}

function checkLength(problems: string[], where: string, value: string | undefined, max: number): void {
  if (value !== undefined && [...value].length > max) {
    problems.push(`${where} has ${[...value].length} characters, more than ${max}`);
  }
}

function checkElement(problems: string[], where: string, element: unknown): void {
  if (!isObject(element) || typeof element.type !== "string") {
    problems.push(`${where} has no type`);
    return;
  }
  if (typeof element.action_id === "string")
    checkLength(problems, `${where}.action_id`, element.action_id, LIMITS.id);
  if (element.type === "button") {
    checkLength(problems, `${where}.text`, textOf(element.text), LIMITS.buttonText);
    if (typeof element.value === "string")
      checkLength(problems, `${where}.value`, element.value, LIMITS.buttonValue);
  }
}

function checkPlainText(problems: string[], where: string, value: unknown, max: number): void {
  if (!isObject(value) || value.type !== "plain_text" || typeof value.text !== "string" || !value.text)
    problems.push(`${where} must be plain_text with text`);
  else checkLength(problems, where, value.text, max);
}

function checkLabel(problems: string[], where: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string") problems.push(`${where} is not a string`);
  else checkLength(problems, where, value, LIMITS.accessibilityLabel);
}

/** An element of a context_actions block: feedback buttons or an icon button. */
function checkContextAction(problems: string[], where: string, element: unknown): void {
  if (!isObject(element)) {
    problems.push(`${where} has no type`);
    return;
  }
  if (typeof element.action_id === "string")
    checkLength(problems, `${where}.action_id`, element.action_id, LIMITS.id);
  if (element.type === "feedback_buttons") {
    for (const side of ["positive_button", "negative_button"] as const) {
      const button = element[side];
      if (!isObject(button)) {
        problems.push(`${where}.${side} is required`);
        continue;
      }
      checkPlainText(problems, `${where}.${side}.text`, button.text, LIMITS.buttonText);
      if (typeof button.value !== "string" || button.value.length === 0)
        problems.push(`${where}.${side}.value is required`);
      else checkLength(problems, `${where}.${side}.value`, button.value, LIMITS.buttonValue);
      checkLabel(problems, `${where}.${side}.accessibility_label`, button.accessibility_label);
    }
    return;
  }
  if (element.type === "icon_button") {
    if (typeof element.icon !== "string" || !ICONS.has(element.icon))
      problems.push(`${where}.icon must be one of ${[...ICONS].join(", ")}`);
    checkPlainText(problems, `${where}.text`, element.text, LIMITS.buttonText);
    if (typeof element.value === "string")
      checkLength(problems, `${where}.value`, element.value, LIMITS.buttonValue);
    checkLabel(problems, `${where}.accessibility_label`, element.accessibility_label);
    return;
  }
  problems.push(`${where}: ${String(element.type)} does not belong in a context_actions block`);
}

/** Problems found in `blocks`; an empty list means Slack would accept them. */
export function blockProblems(blocks: unknown, surface: "message" | "modal"): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ["blocks is not an array"];
  const max = surface === "message" ? LIMITS.messageBlocks : LIMITS.modalBlocks;
  if (blocks.length > max) problems.push(`${blocks.length} blocks, more than ${max}`);
  blocks.forEach((block, index) => {
    const where = `blocks[${index}]`;
    if (!isObject(block) || typeof block.type !== "string") {
      problems.push(`${where} has no type`);
      return;
    }
    if (typeof block.block_id === "string")
      checkLength(problems, `${where}.block_id`, block.block_id, LIMITS.id);
    switch (block.type) {
      case "section": {
        checkLength(problems, `${where}.text`, textOf(block.text), LIMITS.sectionText);
        if (Array.isArray(block.fields)) {
          if (block.fields.length > LIMITS.sectionFields) problems.push(`${where} has more than 10 fields`);
          for (const [i, field] of block.fields.entries()) {
            checkLength(problems, `${where}.fields[${i}]`, textOf(field), LIMITS.fieldText);
          }
        }
        if (!block.text && !block.fields) problems.push(`${where} needs text or fields`);
        if (block.accessory !== undefined) checkElement(problems, `${where}.accessory`, block.accessory);
        break;
      }
      case "header":
        checkLength(problems, `${where}.text`, textOf(block.text), LIMITS.headerText);
        break;
      case "context":
        if (!Array.isArray(block.elements) || block.elements.length === 0)
          problems.push(`${where} has no elements`);
        else if (block.elements.length > LIMITS.contextElements)
          problems.push(`${where} has more than 10 elements`);
        break;
      case "actions":
        if (!Array.isArray(block.elements) || block.elements.length === 0)
          problems.push(`${where} has no elements`);
        else {
          if (block.elements.length > LIMITS.actionsElements)
            problems.push(`${where} has more than 25 elements`);
          for (const [i, element] of block.elements.entries()) {
            checkElement(problems, `${where}.elements[${i}]`, element);
          }
        }
        break;
      case "context_actions":
        if (!Array.isArray(block.elements) || block.elements.length === 0)
          problems.push(`${where} has no elements`);
        else {
          if (block.elements.length > LIMITS.contextActionsElements)
            problems.push(`${where} has more than ${LIMITS.contextActionsElements} elements`);
          for (const [i, element] of block.elements.entries())
            checkContextAction(problems, `${where}.elements[${i}]`, element);
        }
        break;
      case "input":
        if (surface === "message") problems.push(`${where}: input blocks belong in modals`);
        if (!isObject(block.element)) problems.push(`${where} has no element`);
        else checkElement(problems, `${where}.element`, block.element);
        break;
      default:
        break;
    }
  });
  return problems;
}

export function messageTextProblems(text: unknown): string[] {
  if (text === undefined) return [];
  if (typeof text !== "string") return ["text is not a string"];
  return [...text].length > LIMITS.messageText ? [`text longer than ${LIMITS.messageText}`] : [];
}
