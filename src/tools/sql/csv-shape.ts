import { SqlError } from "./types.js";

/**
 * The shape of a delimited text file checked before DuckDB reads it: every record must have as many
 * fields as the header and every quoted field must close. DuckDB's sniffer, given a file where no
 * dialect fits, can settle on one under which every row is dropped (an empty table, no error); this
 * check says which line is wrong instead. Returns the number of data records.
 */
export function checkedShape(text: string, delimiter: string, file: string): number {
  let fields = 1;
  let expected: number | undefined;
  let records = 0;
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldStart = true;
  let empty = true;
  const endRecord = () => {
    if (empty && fields === 1) return; // blank lines (a trailing newline) are not records
    if (expected === undefined) expected = fields;
    else if (fields !== expected)
      throw new SqlError(
        "load",
        `${file} is not valid CSV: line ${recordLine} has ${fields} field(s), the header has ${expected}`,
      );
    else records += 1;
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') index += 1;
        else quoted = false;
      } else if (char === "\n") line += 1;
      continue;
    }
    if (char === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      empty = false;
    } else if (char === delimiter) {
      fields += 1;
      fieldStart = true;
      empty = false;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index += 1;
      endRecord();
      line += 1;
      recordLine = line;
      fields = 1;
      fieldStart = true;
      empty = true;
    } else {
      fieldStart = false;
      empty = false;
    }
  }
  if (quoted)
    throw new SqlError(
      "load",
      `${file} is not valid CSV: the quoted field on line ${recordLine} never closes`,
    );
  endRecord();
  if (expected === undefined) throw new SqlError("load", `${file} is empty`);
  return records;
}
