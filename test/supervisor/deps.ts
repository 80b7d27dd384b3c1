import type { LlmClient } from "../../src/llm/types.js";
import { silentLogger } from "../../src/log.js";
import { AgentRegistry, DEFAULT_AGENTS, type SupervisorDeps } from "../../src/supervisor/index.js";
import { SupervisorState, type SupervisorStateType } from "../../src/supervisor/state.js";

/** The graph's dependencies as the supervisor tests use them: the default agents, one attempt, no waits. */
export function testSupervisorDeps(llm: LlmClient, overrides: Partial<SupervisorDeps> = {}): SupervisorDeps {
  return {
    llm,
    registry: new AgentRegistry(DEFAULT_AGENTS),
    logger: silentLogger(),
    maxSteps: 8,
    stepAttempts: 1,
    stepTimeoutMs: 5_000,
    retryInitialMs: 1,
    ...overrides,
  };
}

/** A graph state with every channel at its initial value, overridden by `partial`. */
export function testState(partial: Partial<SupervisorStateType>): SupervisorStateType {
  const defaults = Object.fromEntries(
    Object.entries(SupervisorState.spec).map(([key, channel]) => [
      key,
      (channel as { initialValueFactory?: () => unknown }).initialValueFactory?.(),
    ]),
  );
  return { ...defaults, ...partial } as SupervisorStateType;
}
