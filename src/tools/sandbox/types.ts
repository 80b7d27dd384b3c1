import { z } from "zod";

/**
 * A JavaScript sandbox: code in, what it printed and returned out. Nothing inside can reach a file,
 * the network, a process or the host's objects; time, memory and output are capped. A run never
 * throws for what the code did: every way it can end is a `SandboxRun`.
 */

export const SANDBOX_FAILURES = [
  /** The code threw (a SyntaxError, a ReferenceError for `require`, its own `throw`). */
  "exception",
  /** Still running at the deadline: stopped there. */
  "timeout",
  /** Allocated past the memory cap. */
  "memory",
  /** Recursed past the stack cap. */
  "stack",
  /** Printed past the output cap. */
  "output",
  /** The run was abandoned (the step was cancelled). */
  "aborted",
  /** The sandbox itself failed (its thread died); it is started afresh for the next run. */
  "crashed",
] as const;
export type SandboxFailure = (typeof SANDBOX_FAILURES)[number];

export const SandboxRunSchema = z.object({
  ok: z.boolean(),
  /** The completion value (a promise's, once settled) as text: strings as they are, the rest as JSON. */
  value: z.string().optional(),
  /** Everything `console.*` printed, one line per call. */
  output: z.string(),
  /** The output reached its cap; what is there is its beginning. */
  outputTruncated: z.boolean(),
  error: z
    .object({
      kind: z.enum(SANDBOX_FAILURES),
      /** `ReferenceError: 'require' is not defined`, `interrupted at the 5000 ms deadline` ... */
      message: z.string(),
      /** The guest's stack, for exceptions. */
      stack: z.string().optional(),
    })
    .optional(),
  durationMs: z.number().nonnegative(),
});
export type SandboxRun = z.infer<typeof SandboxRunSchema>;

export interface SandboxLimits {
  /** Wall-clock time one run may take. */
  timeoutMs: number;
  /** Memory the code may allocate. */
  memoryBytes: number;
  /** Bytes of console output kept; printing past them stops the code. */
  outputBytes: number;
}

export interface CodeSandbox {
  readonly limits: SandboxLimits;
  /** Runs `code` as a script; `input` is given to it as the global `input` (JSON values only). */
  run(code: string, options?: { input?: unknown; signal?: AbortSignal }): Promise<SandboxRun>;
  close(): Promise<void>;
}
