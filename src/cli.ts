import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from "./vocabulary/index.js";

export type Command =
  | { kind: "serve"; thread: string | undefined }
  | {
      kind: "ask";
      request: string;
      format: OutputFormat | undefined;
      thread: string | undefined;
      decisions: "ask" | "approve" | "reject";
      /** Paths of files to attach to the request (`--file`, repeatable). */
      files: string[];
    }
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "usage"; message: string };

/**
 * `npm start` (serve: platforms when configured, else the console), `npm start -- ask "…" [--format F]
 * [--thread NAME] [--file PATH]... [--approve|--reject]`, `npm start -- --thread NAME`, `--help`, `--version`.
 * Anything else is a usage error (exit code 2), caught here before a database or a model is opened.
 */
export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { kind: "usage", message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [verb, ...rest] = positionals;
  const askOnly = (["format", "approve", "reject", "file"] as const).find(
    (name) => values[name] !== undefined,
  );
  if (verb === undefined) {
    if (askOnly)
      return { kind: "usage", message: `--${askOnly} goes with ask: npm start -- ask "…" --${askOnly}` };
    return { kind: "serve", thread: values.thread };
  }
  if (verb !== "ask") return { kind: "usage", message: `unknown command "${verb}"` };
  const request = rest.join(" ");
  if (request.trim() === "") return { kind: "usage", message: "ask needs a request" };
  if (values.approve && values.reject)
    return { kind: "usage", message: "choose one of --approve and --reject" };
  if (values.format !== undefined && !isOutputFormat(values.format))
    return {
      kind: "usage",
      message: `unknown format "${values.format}" (choose one of ${OUTPUT_FORMATS.join(", ")})`,
    };
  return {
    kind: "ask",
    request,
    format: values.format,
    thread: values.thread,
    decisions: values.approve ? "approve" : values.reject ? "reject" : "ask",
    files: values.file ?? [],
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: "string", short: "f" },
      thread: { type: "string", short: "t" },
      approve: { type: "boolean" },
      reject: { type: "boolean" },
      file: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

export function version(): string {
  const file = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** `--help`: English, like the option names it explains. */
export function helpText(): string {
  return `Octostrator: a multi-agent assistant for Slack and the terminal.

Usage:
  npm start                          serve Slack when configured, else open the interactive console
  npm start -- --thread NAME         open the console on the conversation console:NAME
  npm start -- ask "<request>" [options]
                                     one request from a script: the answer on stdout, progress on stderr
  npm start -- --help | --version

Options of ask:
  -f, --format FORMAT   ${OUTPUT_FORMATS.join(" | ")} (default: OCTO_DEFAULT_FORMAT, else chat);
                        with json, stdout is exactly the JSON document ({aggregated_data, final_result})
  -t, --thread NAME     continue the conversation console:NAME (default: a new one)
      --file PATH       attach a file (txt, csv, tsv, json, md, parquet; up to 5 of 1 MiB); repeatable
      --approve         approve every step that needs a decision
      --reject          reject them (they are recorded as skipped)
                        without either, decisions are read from stdin (approve, reject, edit <task>)
On a thread waiting for a decision, ask decides it (with --approve, --reject or stdin) and prints that
run's answer instead of sending the request again.

Exit codes:
  0  answered
  1  refused or failed (the reason is on stderr)
  2  usage or configuration error, or the data directory is in use by another process
  3  a step is still waiting for approval

In the console, type /help for the commands. Configuration is read from the environment (see README).
`;
}
