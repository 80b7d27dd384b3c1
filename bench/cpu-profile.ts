import { readFile } from "node:fs/promises";
import { table } from "./stats.js";

/** A V8 `.cpuprofile` (node --cpu-prof): the call tree's nodes, then which node each sample hit. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<pkg>` (scoped too), `src/<dir>` or node's own modules; what a cost belongs to. */
export function moduleOf(url: string): string {
  if (url === "") return "(native / vm)";
  const nodeModules = url.lastIndexOf("node_modules/");
  if (nodeModules >= 0) {
    const parts = url.slice(nodeModules + "node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const src = url.indexOf("/src/");
  if (src >= 0)
    return url
      .slice(src + 1)
      .split("/")
      .slice(0, 2)
      .join("/");
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "");
}

/** Prints the top self-time functions and modules of a profile, as a share of all samples. */
export async function summarizeProfile(file: string, top = 20): Promise<void> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    total += delta;
  });
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === "(idle)") idle += us;
    const where = frame.url ? `${moduleOf(frame.url)}:${frame.lineNumber + 1}` : "";
    const fn = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const module = frame.url ? moduleOf(frame.url) : frame.functionName;
    modules.set(module, (modules.get(module) ?? 0) + us);
  }
  const share = (us: number) => `${((100 * us) / total).toFixed(1)} % (${(us / 1000).toFixed(0)} ms)`;
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, us]): [string, string] => [label.slice(0, 90), share(us)]);
  table(
    `profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, idle ${share(idle)}; self time by module`,
    rows(modules),
  );
  table("self time by function", rows(functions));
}
