import type { Locale } from "../../vocabulary/index.js";
import { normalized, similarity } from "../routing/similarity.js";
import { degenerateReason } from "./degenerate.js";

export interface Insight {
  category: string;
  description: string;
  importance: number;
}

/**
 * The synthesis's insights as a person should read them: most important first, each said once (a small
 * model repeats one insight three times, or restates the answer), and none that is junk by the same
 * test answers pass.
 */
export function distinctInsights(
  insights: readonly Insight[],
  ctx: { locale: Locale; prompts: readonly string[]; answer: string },
): Insight[] {
  const kept: Insight[] = [];
  const sorted = [...insights].sort((a, b) => b.importance - a.importance);
  for (const insight of sorted) {
    const text = insight.description.trim();
    const flat = normalized(text);
    if (!flat) continue;
    const problem = degenerateReason(text, { locale: ctx.locale, prompts: ctx.prompts });
    // One-word insights are common and fine ("Review"), so only junk beyond that is dropped.
    if (problem && problem !== "one_token") continue;
    if (normalized(ctx.answer) === flat) continue;
    const twin = kept.some((other) => {
      const seen = normalized(other.description);
      return seen === flat || seen.includes(flat) || flat.includes(seen) || similarity(seen, flat) >= 0.85;
    });
    if (!twin) kept.push({ ...insight, description: text });
  }
  return kept;
}
