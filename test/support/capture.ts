import { Writable } from "node:stream";
import pino from "pino";
import type { Logger } from "../../src/log.js";

/** One JSON log line as pino wrote it. */
export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A trace-level logger whose lines land in `lines`, for tests that assert what was logged. */
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

/** A promise the test resolves when it chooses: holds a scripted model call open. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
