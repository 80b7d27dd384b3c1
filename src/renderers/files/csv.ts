/**
 * Tables as CSV that Excel opens correctly: RFC 4180 (CRLF line ends, fields with a comma, quote or line
 * break quoted, quotes doubled) in UTF-8 with a byte order mark, without which Excel reads Korean as
 * mojibake in the system code page.
 */

export type Cell = string | number | boolean | null;

const BOM = "\ufeff";

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (CSV injection); text from
 * attached files or a model could do that, so such text gets a leading apostrophe, which Excel hides.
 * Numbers stay numbers.
 */
function defused(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text)) return text;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) return text;
  return `'${text}`;
}

function field(cell: Cell): string {
  if (cell === null) return "";
  const text = typeof cell === "string" ? defused(cell) : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [columns.map(field).join(",")];
  for (const row of rows) lines.push(columns.map((_, index) => field(row[index] ?? null)).join(","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}
