// The JavaScript sandbox's thread: QuickJS compiled to WebAssembly, one fresh runtime per run, so a
// run sees nothing of the last one. In its own thread because an evaluation is synchronous: a run of
// seconds must not stall the bot's event loop, and a sandbox that dies takes only this thread with it.
// Plain JavaScript so it loads the same under tsx, vitest and plain node.
//
// What a run can reach: the language's own globals (no std/os modules are compiled in, no timers, no
// module loader), a `console` whose output is captured, and `input`. What bounds it: the interrupt
// handler at its deadline, and a WebAssembly memory whose maximum is fixed at start. QuickJS's own
// memory limit is not used: in this build it counts 8 bytes a block whatever the block's size
// (malloc_usable_size is unavailable), so big strings went past it up to 2 GiB.
import { parentPort, workerData } from "node:worker_threads";
import base from "@jitl/quickjs-wasmfile-release-sync";
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  shouldInterruptAfterDeadline,
} from "quickjs-emscripten-core";

const PAGE = 65_536;
/** QuickJS's own checks fire well before the thread's native stack (4 MiB) runs out. */
const STACK_BYTES = 256 * 1024;
/** What the module needs before any code runs (its data, the C stack, a runtime and a context). */
const BASELINE_BYTES = 16 * 1024 * 1024;
const VALUE_CHARS = 16_000;

const { memoryBytes } = workerData;
const maximum = Math.ceil((memoryBytes + BASELINE_BYTES) / PAGE);
const memory = new WebAssembly.Memory({ initial: Math.min(256, maximum), maximum });

/**
 * When an allocation fails QuickJS may be unable to make its error object too, and what is thrown is
 * junk (null, an empty string). Junk thrown while the memory has grown to most of its maximum is taken
 * for memory running out: a failed allocation may be a large one, so the memory need not be full.
 */
function memoryExhausted() {
  return memory.buffer.byteLength >= 0.75 * maximum * PAGE;
}
const module = await newQuickJSWASMModuleFromVariant(newVariant(base, { wasmMemory: memory }));

// Runs before the task: a console that formats like Node's (strings bare, values as JSON) and hands
// each line to the host, and `input` parsed from JSON. The host functions are removed from the global
// object, so the task can reach them only through console.
const PRELUDE = `(() => {
  const print = globalThis.__octo_print;
  delete globalThis.__octo_print;
  const show = (v) => {
    if (typeof v === "string") return v;
    if (typeof v === "undefined") return "undefined";
    if (typeof v === "function") return "[Function " + (v.name || "anonymous") + "]";
    if (typeof v === "bigint") return v + "n";
    if (typeof v === "symbol") return v.toString();
    if (v instanceof Error) return v.name + ": " + v.message;
    if (v instanceof Map) return "Map(" + v.size + ") " + show(Object.fromEntries(v));
    if (v instanceof Set) return "Set(" + v.size + ") " + show([...v]);
    try {
      const text = JSON.stringify(v, (key, x) => (typeof x === "bigint" ? x + "n" : x));
      return text === undefined ? String(v) : text;
    } catch {
      return String(v);
    }
  };
  const line = (args) => args.map(show).join(" ");
  const console = {};
  for (const level of ["log", "info", "warn", "error", "debug"]) console[level] = (...args) => print(line(args));
  Object.defineProperty(globalThis, "console", { value: Object.freeze(console) });
  if (typeof globalThis.__octo_input === "string") {
    const value = JSON.parse(globalThis.__octo_input);
    delete globalThis.__octo_input;
    Object.defineProperty(globalThis, "input", { value });
  }
})();`;

function encodeLength(text) {
  return Buffer.byteLength(text, "utf8");
}

function clipValue(text) {
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text;
}

function failureKind(error, interrupted) {
  if (interrupted) return "timeout";
  const junk = error === null || typeof error !== "object" || !("message" in error);
  if (junk && memoryExhausted()) return "memory";
  const message = String(error?.message ?? "");
  if (error?.name === "InternalError" && message === "interrupted") return "timeout";
  if (message === "out of memory" || message === "string too long" || message === "invalid array length")
    return "memory";
  if (error?.name === "InternalError" && message === "stack overflow") return "stack";
  return "exception";
}

function describe(context, handle, request, output, interrupted) {
  const error = context.dump(handle);
  if (output.exceeded) {
    return { kind: "output", message: `printed more than ${request.outputBytes} bytes; stopped there` };
  }
  const isObject = error !== null && typeof error === "object";
  const name = isObject && typeof error.name === "string" ? error.name : "Error";
  const message =
    isObject && "message" in error
      ? String(error.message)
      : `thrown ${JSON.stringify(error) ?? String(error)}`;
  const kind = failureKind(error, interrupted);
  if (kind === "timeout") return { kind, message: `interrupted at the ${request.timeoutMs} ms deadline` };
  if (kind === "memory")
    return { kind, message: `out of memory (the limit is ${Math.round(request.memoryBytes / 1048576)} MB)` };
  if (kind === "stack") return { kind, message: "stack overflow (too deep a recursion)" };
  return {
    kind,
    message: `${name}: ${message}`,
    ...(isObject && typeof error.stack === "string" && error.stack ? { stack: error.stack.trim() } : {}),
  };
}

function valueText(context, handle) {
  const type = context.typeof(handle);
  if (type === "undefined") return undefined;
  if (type === "string") return clipValue(context.getString(handle));
  if (type === "function") return "[Function]";
  const dumped = context.dump(handle);
  return clipValue(typeof dumped === "string" ? dumped : (JSON.stringify(dumped) ?? String(dumped)));
}

function run(request) {
  const started = performance.now();
  const output = { lines: [], bytes: 0, truncated: false, exceeded: false };
  const runtime = module.newRuntime();
  runtime.setMaxStackSize(STACK_BYTES);
  const context = runtime.newContext();
  const finish = (fields) => ({
    output: output.lines.join("\n"),
    outputTruncated: output.truncated,
    durationMs: Math.max(0, performance.now() - started),
    ...fields,
  });
  try {
    const print = context.newFunction("print", (line) => {
      const text = context.getString(line);
      const size = encodeLength(text) + 1;
      if (output.bytes + size > request.outputBytes) {
        output.truncated = true;
        output.exceeded = true;
        return { error: context.newError(`output limit of ${request.outputBytes} bytes reached`) };
      }
      output.bytes += size;
      output.lines.push(text);
    });
    context.setProp(context.global, "__octo_print", print);
    print.dispose();
    if (request.input !== undefined) {
      const input = context.newString(request.input);
      context.setProp(context.global, "__octo_input", input);
      input.dispose();
    }
    const prelude = context.evalCode(PRELUDE, "prelude.js");
    if (prelude.error) {
      const error = describe(context, prelude.error, request, output, false);
      prelude.error.dispose();
      return finish({ ok: false, error: { ...error, message: `input: ${error.message}` } });
    }
    prelude.value.dispose();

    // The deadline is per runtime and starts now, for the task and the promise jobs it queues. An
    // interrupt inside a promise job only rejects a promise nobody awaits, so it is remembered here.
    const pastDeadline = shouldInterruptAfterDeadline(Date.now() + request.timeoutMs);
    let interrupted = false;
    runtime.setInterruptHandler((rt) => {
      if (pastDeadline(rt)) interrupted = true;
      return interrupted;
    });
    const fail = (handle) => {
      const error = describe(context, handle, request, output, interrupted);
      handle.dispose();
      // A memory that grew to its maximum stays that size: the next run gets a fresh one.
      if (error.kind === "memory") poisoned = true;
      return finish({ ok: false, error });
    };
    const evaluated = context.evalCode(request.code, "task.js");
    if (evaluated.error) return fail(evaluated.error);
    const jobs = runtime.executePendingJobs();
    if (jobs.error) {
      evaluated.value.dispose();
      return fail(jobs.error);
    }
    if (interrupted) {
      evaluated.value.dispose();
      return finish({
        ok: false,
        error: { kind: "timeout", message: `interrupted at the ${request.timeoutMs} ms deadline` },
      });
    }
    const state = context.getPromiseState(evaluated.value);
    if (state.type === "pending") {
      evaluated.value.dispose();
      return finish({
        ok: false,
        error: { kind: "exception", message: "the promise never settled (there are no timers or I/O here)" },
      });
    }
    if (state.type === "rejected") {
      evaluated.value.dispose();
      return fail(state.error);
    }
    const value = valueText(context, state.value);
    if (!state.notAPromise) state.value.dispose();
    evaluated.value.dispose();
    return finish({ ok: true, ...(value === undefined ? {} : { value }) });
  } finally {
    try {
      context.dispose();
      runtime.dispose();
    } catch {
      // QuickJS asserts it freed every object; a run cut short inside a promise job or halfway through
      // an allocation can leave some behind, and the failed assertion aborts the WebAssembly instance.
      // The run's own result stands; the thread ends after reporting it and the host starts a new one.
      poisoned = true;
    }
  }
}

let poisoned = false;

parentPort.on("message", (request) => {
  try {
    const result = run(request);
    parentPort.postMessage({ id: request.id, result, recycle: poisoned });
    if (poisoned) process.exit(0);
  } catch (error) {
    // The WebAssembly instance may be left inconsistent: report, then end the thread so the host
    // starts a clean one for the next run.
    parentPort.postMessage({
      id: request.id,
      result: {
        ok: false,
        output: "",
        outputTruncated: false,
        durationMs: 0,
        error: { kind: "crashed", message: `the sandbox failed: ${String(error?.message ?? error)}` },
      },
      recycle: true,
    });
    process.exit(1);
  }
});
parentPort.postMessage({ ready: true });
