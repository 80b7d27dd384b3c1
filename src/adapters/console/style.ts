/**
 * Terminal colours, only where they help and only where they work: on a terminal, never when
 * `NO_COLOR` is set (https://no-color.org), always when `FORCE_COLOR` asks for them (e.g. a pager that
 * understands them).
 */
export function colourWanted(stream: object, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  return (stream as { isTTY?: boolean }).isTTY === true && env.TERM !== "dumb";
}

export interface Style {
  readonly enabled: boolean;
  dim(text: string): string;
  bold(text: string): string;
  error(text: string): string;
  attention(text: string): string;
  path(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) =>
  text
    .split("\n")
    .map((line) => (line.length > 0 ? `\u001b[${open}m${line}\u001b[${close}m` : line))
    .join("\n");

const plain = (text: string) => text;

/** Codes are applied per line, so a line cleared or redrawn by the waiting indicator keeps its colour. */
export function styleFor(enabled: boolean): Style {
  if (!enabled) return { enabled, dim: plain, bold: plain, error: plain, attention: plain, path: plain };
  return {
    enabled,
    dim: sgr(2, 22),
    bold: sgr(1, 22),
    error: sgr(31, 39),
    attention: sgr(33, 39),
    path: sgr(36, 39),
  };
}
