import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable, Writable } from "node:stream";
import pino from "pino";
import { DEFAULT_BODY_LIMIT_BYTES } from "../../src/adapters/http/host.js";
import type {
  HttpMethod,
  HttpRoutes,
  MountedApp,
  NodeListener,
  RawRouteHandler,
} from "../../src/adapters/http/index.js";
import type { Logger } from "../../src/log.js";
import type { Store } from "../../src/store/index.js";
import type { LogLine } from "../support/logs.js";

/**
 * What fuzzing needs around the adapters: their HTTP handlers captured in process (no socket, so ten
 * thousand requests take seconds), a count of what the store holds (a rejected request must write
 * nothing), and a watch on unhandled rejections.
 */

/** Fuzz cases per property; the issue asks for at least 10,000. FUZZ_RUNS lowers it for a quick local try. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** Routes an adapter mounts, kept for calling directly instead of through a listening server. */
export class CapturedRoutes implements HttpRoutes {
  readonly bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES;
  readonly raw = new Map<string, RawRouteHandler>();
  readonly nodes = new Map<string, NodeListener>();
  readonly apps = new Map<string, MountedApp>();

  route(method: HttpMethod, path: string, handler: RawRouteHandler) {
    this.raw.set(`${method} ${path}`, handler);
    return { unmount: () => this.raw.delete(`${method} ${path}`) };
  }

  node(method: HttpMethod, path: string, listener: NodeListener) {
    this.nodes.set(`${method} ${path}`, listener);
    return { unmount: () => this.nodes.delete(`${method} ${path}`) };
  }

  app(prefix: string, app: MountedApp) {
    this.apps.set(prefix, app);
    return { unmount: () => this.apps.delete(prefix) };
  }

  urlOf(path: string): string {
    return `http://fuzz.invalid${path}`;
  }
}

export interface NodeResult {
  status: number;
  body: string;
}

/**
 * Calls a Node request listener with an in-memory request and a response that records what was sent:
 * the listener reads the body from a stream and answers with writeHead/end, as over a socket.
 */
export function callNodeListener(
  listener: NodeListener,
  input: { path: string; headers: Record<string, string>; body: string },
): Promise<NodeResult> {
  const request = Readable.from([Buffer.from(input.body)]) as unknown as IncomingMessage;
  Object.assign(request, {
    method: "POST",
    url: input.path,
    headers: { "content-length": String(Buffer.byteLength(input.body)), ...input.headers },
  });
  return new Promise((resolve) => {
    const chunks: string[] = [];
    let status = 200;
    const response = {
      headersSent: false,
      statusCode: 200,
      setHeader() {},
      getHeader() {
        return undefined;
      },
      writeHead(code: number) {
        status = code;
        this.statusCode = code;
        this.headersSent = true;
        return this;
      },
      write(chunk: unknown) {
        this.headersSent = true;
        chunks.push(String(chunk));
        return true;
      },
      end(chunk?: unknown) {
        if (chunk !== undefined) chunks.push(String(chunk));
        status = this.statusCode === 200 ? status : this.statusCode;
        resolve({ status, body: chunks.join("") });
        return this;
      },
    };
    listener(request, response as unknown as ServerResponse);
  });
}

const WRITTEN_TABLES = [
  "octo_sessions",
  "octo_approvals",
  "octo_retries",
  "octo_deliveries",
  "octo_jobs",
  "octo_turns",
  "octo_feedback",
  "octo_runs",
  "octo_run_events",
] as const;

/** Rows in every table a conversation writes to: equal before and after means nothing was written. */
export async function writtenRows(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WRITTEN_TABLES) {
    const result = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

/** Collects unhandled rejections while a property runs (vitest would report them only at the end). */
export function watchUnhandled(): { rejections: unknown[]; stop(): void } {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  return { rejections, stop: () => process.off("unhandledRejection", onRejection) };
}

/** A string of about `chars` characters, built once: huge values without generating them per case. */
export function huge(chars: number, unit = "가a<@U1>&*"): string {
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}

/** Log lines at error level and above only: thousands of refused requests must not fill memory. */
export function errorLogger(lines: LogLine[]): Logger {
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return pino({ level: "error" }, sink);
}
