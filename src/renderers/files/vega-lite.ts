import type * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";

/**
 * vega-lite patches `Set.prototype.toJSON` when it loads (its own hashing stringifies sets). Left in
 * place the patch reaches the whole process: discord.js's event emitter fails to load after it, and
 * `JSON.stringify` of any Set anywhere turns into "Set(...)". So vega-lite is loaded on first use, the
 * patch taken off at once, and put back only for the synchronous length of one compile.
 */
type Compile = (spec: TopLevelSpec) => { spec: vega.Spec };

let loading: Promise<{ compile: Compile; patch: PropertyDescriptor | undefined }> | undefined;

export async function compileVegaLite(spec: TopLevelSpec): Promise<vega.Spec> {
  loading ??= (async () => {
    const before = Object.getOwnPropertyDescriptor(Set.prototype, "toJSON");
    const { compile } = await import("vega-lite");
    const patch = Object.getOwnPropertyDescriptor(Set.prototype, "toJSON");
    restore(before);
    return { compile: compile as Compile, patch };
  })();
  const { compile, patch } = await loading;
  const before = Object.getOwnPropertyDescriptor(Set.prototype, "toJSON");
  if (patch) Object.defineProperty(Set.prototype, "toJSON", patch);
  try {
    return compile(spec).spec;
  } finally {
    restore(before);
  }
}

function restore(descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(Set.prototype, "toJSON", descriptor);
  else delete (Set.prototype as { toJSON?: unknown }).toJSON;
}
