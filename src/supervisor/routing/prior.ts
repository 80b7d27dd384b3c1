import type { AgentDefinition } from "../agents/types.js";
import type { ProposedStep } from "../plan.js";
import { FALLBACK_AGENT } from "../registry.js";

/**
 * A cheap lexical prior over the registry's agents: which agents the request's words point to, where
 * they are first mentioned, and whether the request asks for things in sequence. It costs nothing and
 * is right on most office requests, which is what a 270M model needs beside it; the planner weighs
 * the two (combine.ts) and the eval measures each alone.
 */
export interface AgentEvidence {
  agent: string;
  /** Keyword hits count 2, hint hits 1; distinct words only. */
  score: number;
  /** Keyword (not only hint) hits. */
  strong: boolean;
  /** Where the first matching word starts in the request. */
  at: number;
}

export interface Prior {
  /** Agents with any evidence, in the order the request mentions them. */
  evidence: AgentEvidence[];
  /** The agents a plan should use, in order: those with keyword hits, else the best hinted one. */
  agents: string[];
  /** The request asks for one thing after another ("then", "다음에", "based on" ...). */
  sequential: boolean;
}

const SEQUENCE_MARKERS = [
  /\b(then|after that|afterwards|next|based on|using (?:the|its|their) results?|with (?:the|those|these) results?|from (?:the|those) results?)\b/i,
  /(다음에|다음 |그 다음|그다음|후에|한 뒤|한 후|그 결과|결과를|바탕으로|토대로|이용해|그런 다음|하고 나서)/,
];

export function isSequential(text: string): boolean {
  return SEQUENCE_MARKERS.some((marker) => marker.test(text));
}

const ASCII_WORD = /^[a-z0-9][a-z0-9 '-]*[a-z0-9]$/;
const patterns = new Map<string, RegExp>();

/**
 * Where `keyword` first occurs in `lower` (already lower-cased), or -1. English words match at a word
 * start, short ones as whole words with common endings ("nda" not in "agenda", "bug" in "bugs"),
 * longer ones as prefixes ("analys" in "analysis"); anything else (Korean, ".com") as a substring,
 * since Korean attaches particles to the word ("계약서를").
 */
export function keywordIndex(lower: string, keyword: string): number {
  const word = keyword.toLowerCase();
  if (!ASCII_WORD.test(word)) return lower.indexOf(word);
  let pattern = patterns.get(word);
  if (!pattern) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const tail = word.length >= 5 ? "" : "(?:s|es|ed|ing)?(?![a-z0-9])";
    pattern = new RegExp(`(?<![a-z0-9])${escaped}${tail}`);
    patterns.set(word, pattern);
  }
  return pattern.exec(lower)?.index ?? -1;
}

/**
 * Every agent's words found in the request, where one word sits inside a longer one of another agent
 * ("search" in code's "binary search") only the longer counts.
 */
export function agentEvidence(text: string, agents: readonly AgentDefinition[]): AgentEvidence[] {
  const lower = text.toLowerCase();
  const hits: { agent: string; start: number; end: number; strong: boolean }[] = [];
  for (const agent of agents) {
    const routing = agent.routing;
    if (!routing) continue;
    const words = (list: Record<string, readonly string[]> | undefined, strong: boolean) => {
      for (const word of new Set(Object.values(list ?? {}).flat())) {
        const start = keywordIndex(lower, word);
        if (start >= 0) hits.push({ agent: agent.name, start, end: start + word.length, strong });
      }
    };
    words(routing.keywords, true);
    words(routing.hints, false);
  }
  const accepted: typeof hits = [];
  for (const hit of [...hits].sort((a, b) => b.end - b.start - (a.end - a.start))) {
    const inside = accepted.some(
      (other) => other.agent !== hit.agent && other.start <= hit.start && hit.end <= other.end,
    );
    if (!inside) accepted.push(hit);
  }
  const evidence = new Map<string, AgentEvidence>();
  for (const hit of accepted) {
    const known = evidence.get(hit.agent) ?? { agent: hit.agent, score: 0, strong: false, at: hit.start };
    known.score += hit.strong ? 2 : 1;
    known.strong ||= hit.strong;
    known.at = Math.min(known.at, hit.start);
    evidence.set(hit.agent, known);
  }
  return [...evidence.values()].sort((a, b) => a.at - b.at);
}

export function lexicalPrior(request: string, agents: readonly AgentDefinition[]): Prior {
  const evidence = agentEvidence(request, agents);
  const strong = evidence.filter((e) => e.strong).map((e) => e.agent);
  const best = [...evidence].sort((a, b) => b.score - a.score || a.at - b.at)[0];
  return {
    evidence,
    agents: strong.length > 0 ? strong : best ? [best.agent] : [],
    sequential: isSequential(request),
  };
}

/** The request cut where it says "then": each agent gets the part that mentions it. */
function clauses(request: string): { text: string; start: number }[] {
  const cut =
    /(?:,?\s*\b(?:and then|then|after that|afterwards)\b\s*|,?\s*(?:그 다음에?|그다음에?|그런 다음|다음에)\s*)/gi;
  const parts: { text: string; start: number }[] = [];
  let start = 0;
  for (const match of request.matchAll(cut)) {
    parts.push({ text: request.slice(start, match.index), start });
    start = match.index + match[0].length;
  }
  parts.push({ text: request.slice(start), start });
  return parts.filter((part) => part.text.trim().length > 0);
}

/** The plan the prior alone would make: one step per agent it found (search when none), in order. */
export function priorPlan(request: string, prior: Prior): ProposedStep[] {
  const agents = prior.agents.length > 0 ? prior.agents : [FALLBACK_AGENT];
  const parts = clauses(request);
  return agents.map((agent, index) => {
    const at = prior.evidence.find((e) => e.agent === agent)?.at ?? 0;
    const part = agents.length > 1 ? [...parts].reverse().find((p) => p.start <= at) : undefined;
    const task = (part?.text ?? request).trim().replace(/[,.;]+$/, "") || request;
    return {
      id: index + 1,
      agent,
      task,
      description: "",
      depends_on: prior.sequential && index > 0 ? [index] : [],
      needs_approval: false,
    };
  });
}
