import type { Locale } from "../vocabulary/index.js";
import type { AgentDefinition, ApprovalPolicy } from "./agents/types.js";

export const FALLBACK_AGENT = "search";

/**
 * The agents the planner may use, with the approval policy in force: an agent listed in
 * OCTO_APPROVAL_AGENTS always needs approval, whatever its own default.
 */
export class AgentRegistry {
  private readonly byName: Map<string, AgentDefinition>;
  private readonly alwaysApprove: Set<string> | undefined;

  constructor(
    agents: readonly AgentDefinition[],
    options: { approvalAgents?: readonly string[] | undefined } = {},
  ) {
    this.byName = new Map(agents.map((agent) => [agent.name, agent]));
    if (!this.byName.has(FALLBACK_AGENT))
      throw new Error(`the agent registry needs a "${FALLBACK_AGENT}" agent`);
    this.alwaysApprove = options.approvalAgents ? new Set(options.approvalAgents) : undefined;
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** The agents themselves, in registry order (their routing feeds the planner's prompt and prior). */
  get definitions(): AgentDefinition[] {
    return [...this.byName.values()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The named agent, or the fallback (search) for a name the planner made up. */
  resolve(name: string): AgentDefinition {
    return this.byName.get(name) ?? (this.byName.get(FALLBACK_AGENT) as AgentDefinition);
  }

  approvalPolicy(name: string): ApprovalPolicy {
    if (this.alwaysApprove) {
      if (this.alwaysApprove.has(name)) return "always";
      const own = this.resolve(name).approval;
      return own === "always" ? "planner" : own;
    }
    return this.resolve(name).approval;
  }

  /** One line per agent for the planner's prompt. */
  describe(locale: Locale): string {
    return [...this.byName.values()]
      .map((agent) => `- ${agent.name}: ${agent.description[locale]}`)
      .join("\n");
  }
}
