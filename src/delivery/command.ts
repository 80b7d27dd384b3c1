import { isOutputFormat, type OutputFormat } from "../vocabulary/index.js";

/**
 * The chat platforms' command grammar (`/octo` on Slack, the same on Discord): `[chat|graph|report|json|all]
 * <request>` and the sub-commands `history`, `rewind <n>`, `forget`, `help`. A sub-command word only
 * counts when it stands alone, so `/octo history of Rome` is a request.
 */
export type OctoCommand =
  | { kind: "run"; format: OutputFormat | undefined; request: string }
  | { kind: "history" }
  | { kind: "rewind"; turns: number }
  | { kind: "forget" }
  | { kind: "help" }
  | { kind: "usage"; problem: "empty" | "unknown_format" | "bad_rewind"; detail: string };

/**
 * Words people type meaning an output format we do not have; `/octo pdf ...` gets usage help rather than
 * a run that ignores what they asked for.
 */
const FORMAT_LIKE = new Set([
  "pdf",
  "png",
  "image",
  "picture",
  "markdown",
  "md",
  "csv",
  "text",
  "txt",
  "html",
  "table",
  "chart",
  "diagram",
  "yaml",
  "xml",
  "excel",
  "xlsx",
  "docx",
  "word",
  "slides",
]);

export function parseOctoCommand(input: string): OctoCommand {
  const text = input.trim();
  if (text.length === 0) return { kind: "usage", problem: "empty", detail: "" };
  const [first = "", ...rest] = text.split(/\s+/);
  const word = first.toLowerCase().replace(/:$/, "");
  const remainder = text.slice(first.length).trim();

  if (rest.length === 0) {
    if (word === "help" || word === "?") return { kind: "help" };
    if (word === "history") return { kind: "history" };
    if (word === "forget") return { kind: "forget" };
    if (word === "rewind") return { kind: "usage", problem: "bad_rewind", detail: "" };
  }
  if (word === "rewind" && rest.length === 1) {
    const turns = Number(rest[0]);
    if (Number.isInteger(turns) && turns > 0) return { kind: "rewind", turns };
    if (/^-?\d+(\.\d+)?$/.test(rest[0] ?? ""))
      return { kind: "usage", problem: "bad_rewind", detail: rest[0] ?? "" };
  }
  if (isOutputFormat(word)) {
    if (remainder.length === 0) return { kind: "usage", problem: "empty", detail: word };
    return { kind: "run", format: word, request: remainder };
  }
  if (FORMAT_LIKE.has(word) && remainder.length > 0) {
    return { kind: "usage", problem: "unknown_format", detail: first.replace(/:$/, "") };
  }
  return { kind: "run", format: undefined, request: text };
}

/**
 * A message that opens with an output format and a colon (`report: compare our vendors`), as the
 * assistant panel's suggested prompts do: that format, and the request after the colon. Anything else
 * is the request as it is, in the default format.
 */
export function splitFormatPrefix(input: string): { format: OutputFormat | undefined; text: string } {
  const match = /^\s*([A-Za-z]+):\s*(\S[\s\S]*)$/.exec(input);
  const word = match?.[1]?.toLowerCase();
  return isOutputFormat(word) && match?.[2]
    ? { format: word, text: match[2].trim() }
    : { format: undefined, text: input };
}
