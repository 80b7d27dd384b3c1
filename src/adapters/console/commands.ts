import type { ApprovalDecision } from "../../conversations/index.js";

export type ConsoleInput =
  | { kind: "request"; text: string }
  | { kind: "command"; name: string; argument: string };

/** A typed line: `/name argument` is a command, anything else a request. */
export function parseLine(line: string): ConsoleInput {
  const trimmed = line.trim();
  const match = /^\/(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (match)
    return {
      kind: "command",
      name: (match[1] as string).toLowerCase(),
      argument: (match[2] as string).trim(),
    };
  return { kind: "request", text: line };
}

type Decision = ApprovalDecision["decision"];

// A Map, not an object: a typed `__proto__` or `constructor` must not read as a decision.
const WORDS = new Map<string, Decision>(
  Object.entries({
    approve: "approve",
    a: "approve",
    yes: "approve",
    y: "approve",
    ok: "approve",
    승인: "approve",
    reject: "reject",
    r: "reject",
    no: "reject",
    n: "reject",
    거절: "reject",
    edit: "edit",
    e: "edit",
    수정: "edit",
  } satisfies Record<string, Decision>),
);

/** An answer to an approval prompt: `approve`, `reject`, `edit <new task>` (English or Korean words). */
export function parseDecision(
  line: string,
): { decision: Decision; editedTask: string | undefined } | undefined {
  const trimmed = line.trim();
  const [word = "", ...rest] = trimmed.split(/\s+/);
  const decision = WORDS.get(word.toLowerCase());
  if (!decision) return undefined;
  const tail = trimmed.slice(word.length).trim();
  return { decision, editedTask: decision === "edit" && rest.length > 0 ? tail : undefined };
}

/** `/rewind 2` goes back two turns; `/rewind <id>` forks from that checkpoint. */
export function parseRewind(argument: string): { turns: number } | { checkpointId: string } | undefined {
  if (/^\d+$/.test(argument)) return { turns: Number(argument) };
  if (/^[0-9a-f-]{8,}$/i.test(argument)) return { checkpointId: argument };
  return undefined;
}

/** A confirmation: one yes word, English or Korean; anything else (including "yes but") is a no. */
export function isYes(line: string): boolean {
  return /^(y|yes|ok|approve|네|예|응|승인)$/.test(line.trim().toLowerCase());
}
