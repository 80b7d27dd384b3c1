import { DEFAULT_AGENTS } from "../../src/supervisor/agents/index.js";
import { llmAgent } from "../../src/supervisor/agents/llm-agent.js";
import type { AgentDefinition } from "../../src/supervisor/agents/types.js";

/**
 * Stand-ins for the registry's agents, with the same names, descriptions, routing and approval
 * policies, each doing its step as one model call whose prompt shows everything the step was given.
 * For tests about the graph's plumbing (retries, attachments, resumption) rather than about what an
 * agent's tool does: the real agents answer from their tools and often need no model at all.
 */
export function promptAgents(): AgentDefinition[] {
  return DEFAULT_AGENTS.map((agent) =>
    llmAgent({
      name: agent.name,
      description: agent.description,
      ...(agent.routing ? { routing: agent.routing } : {}),
      approval: agent.approval,
      role: `You are the ${agent.name} agent of a multi-agent assistant. Do the task.`,
    }),
  );
}

/**
 * `agents` (the registry's by default) with the real search agent as its prompt stand-in: for tests that
 * give no knowledge base, where the real one would find nothing and never call the model their handlers
 * script. A test's own search agent is kept.
 */
export function withSearchStandIn(agents: readonly AgentDefinition[] = DEFAULT_AGENTS): AgentDefinition[] {
  const real = DEFAULT_AGENTS.find((agent) => agent.name === "search");
  const standIn = promptAgents().find((agent) => agent.name === "search");
  return agents.map((agent) => (agent === real && standIn ? standIn : agent));
}
