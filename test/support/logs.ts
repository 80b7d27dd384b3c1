import { Writable } from "node:stream";
import pino from "pino";
import type { Logger } from "../../src/log.js";

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A trace-level logger whose JSON lines are parsed into `lines` as they are written. */
export function capturingLogger(lines: LogLine[]): Logger {
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return pino({ level: "trace" }, sink);
}
