import { parseArgs } from "node:util";

export type Command =
  | { kind: "serve"; thread: string | undefined }
  | {
      kind: "ask";
      request: string;
      format: string | undefined;
      thread: string | undefined;
      decisions: "ask" | "approve" | "reject";
    }
  | { kind: "help" }
  | { kind: "usage"; message: string };

/**
 * `npm start` (serve: platforms when configured, else the console), `npm start -- ask "…" [--format F]
 * [--thread NAME] [--approve|--reject]`, `npm start -- --thread NAME`, `npm start -- --help`.
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
  const [verb, ...rest] = positionals;
  if (verb === undefined) return { kind: "serve", thread: values.thread };
  if (verb !== "ask") return { kind: "usage", message: `unknown command "${verb}"` };
  const request = rest.join(" ");
  if (values.approve && values.reject)
    return { kind: "usage", message: "choose one of --approve and --reject" };
  return {
    kind: "ask",
    request,
    format: values.format,
    thread: values.thread,
    decisions: values.approve ? "approve" : values.reject ? "reject" : "ask",
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
      help: { type: "boolean", short: "h" },
    },
  });
}
