import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { checkedShape } from "./csv-shape.js";
import { SqlError, type TableFile, type TableProfile } from "./types.js";
import { literal, quoted } from "./values.js";

/**
 * Attached files into tables: each written into the session's own directory under a name of ours
 * (never the attacher's, which may hold `../`), then read by DuckDB's reader for its format into a
 * table named after the file. CSV and TSV are checked first (csv-shape.ts) and read with their
 * delimiter fixed and strict parsing, so a broken file is an error that says where, not a one-column
 * table of garbled lines, and the rows DuckDB kept are counted against the rows the file has.
 */

export type TableFormat = TableProfile["format"];

const FORMATS: Record<string, TableFormat> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  jsonl: "json",
  ndjson: "json",
  parquet: "parquet",
};

export function formatOf(file: TableFile): TableFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return extension ? FORMATS[extension] : undefined;
}

/** A table name the model can write: the file's name in lower-case ASCII, unique in the session. */
export function tableNames(files: readonly TableFile[]): string[] {
  const taken = new Set<string>();
  return files.map((file, index) => {
    const stem = file.name.replace(/\.[^.]*$/, "");
    let base = stem
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 40);
    if (!base) base = `table${index + 1}`;
    if (/^\d/.test(base)) base = `t_${base}`;
    let name = base;
    for (let n = 2; taken.has(name); n += 1) name = `${base}_${n}`;
    taken.add(name);
    return name;
  });
}

/** Comma, unless the header has none and semicolons instead (what Excel writes where the decimal mark is a comma). */
export function delimiterOf(format: TableFormat, text: string): string {
  if (format === "tsv") return "\t";
  const header = text.slice(0, text.search(/\r?\n|$/));
  return !header.includes(",") && header.includes(";") ? ";" : ",";
}

function reader(format: TableFormat, file: string, delimiter: string): string {
  const source = literal(file);
  switch (format) {
    case "csv":
    case "tsv":
      return `read_csv(${source}, delim = ${literal(delimiter)}, quote = '"', escape = '"', header = true, strict_mode = true, null_padding = false)`;
    case "json":
      return `read_json(${source}, format = 'auto')`;
    case "parquet":
      return `read_parquet(${source})`;
  }
}

const FORMAT_NAMES: Record<TableFormat, string> = {
  csv: "CSV",
  tsv: "TSV",
  json: "JSON",
  parquet: "Parquet",
};

/** Loads one file as table `table`; the file is written to `directory` first. */
export async function loadTable(
  connection: DuckDBConnection,
  directory: string,
  file: TableFile,
  table: string,
  format: TableFormat,
): Promise<void> {
  const target = path.join(directory, `${table}.${format}`);
  const delimiter = delimiterOf(format, file.text);
  if (format !== "parquet" && file.text.includes("\u0000"))
    throw new SqlError("load", `${file.name} is not a text file (it holds NUL bytes)`);
  const records =
    format === "csv" || format === "tsv" ? checkedShape(file.text, delimiter, file.name) : undefined;
  if (format === "parquet") {
    if (!file.bytes || file.bytes.length === 0)
      throw new SqlError("load", `${file.name} has no data to read (a Parquet file needs its bytes)`);
    await writeFile(target, file.bytes, { mode: 0o600 });
  } else {
    if (!file.text.trim()) throw new SqlError("load", `${file.name} is empty`);
    await writeFile(target, file.text, { encoding: "utf8", mode: 0o600 });
  }
  try {
    await connection.run(
      `CREATE TABLE ${quoted(table)} AS SELECT * FROM ${reader(format, target, delimiter)}`,
    );
  } catch (error) {
    // DuckDB names the session's copy of the file; the person knows it by its own name.
    const reason = summary(error).split(target).join(file.name);
    throw new SqlError("load", `${file.name} could not be read as ${FORMAT_NAMES[format]}: ${reason}`, {
      cause: error,
    });
  }
  if (records !== undefined) {
    const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${quoted(table)}`);
    const kept = Number(counted.getRowsJson()[0]?.[0] ?? 0);
    if (kept !== records)
      throw new SqlError(
        "load",
        `${file.name} could not be read as ${FORMAT_NAMES[format]}: ${records} row(s) in the file, ${kept} read`,
      );
  }
}

/** The first two lines of DuckDB's message: what failed and why, without its list of possible fixes. */
function summary(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("^") && !/^LINE \d+:/.test(line))
    .slice(0, 2)
    .join(" ");
}
