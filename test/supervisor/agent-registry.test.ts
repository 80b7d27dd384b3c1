import { describe, expect, it } from "vitest";
import type { ScriptedCall } from "../../src/llm/scripted.js";
import { agentMessages, askForAnswer } from "../../src/supervisor/agents/llm-agent.js";
import { type AgentDefinition, DEFAULT_AGENTS } from "../../src/supervisor/index.js";
import { OctoError } from "../../src/vocabulary/index.js";
import { ofType, resultOf, send, serviceFixture } from "../conversations/support.js";
import { DATABASE_KINDS } from "../support/databases.js";

/**
 * The README's "Add an agent" example, verbatim: a test-only agent registered next to the default five.
 * The planner's prompt, its lexical prior and the graph must all pick it up from the registry alone.
 */
const emailAgent: AgentDefinition = {
  name: "email",
  description: {
    en: "email drafting: writes a short, polite email for the purpose the user gives",
    ko: "이메일 작성: 사용자가 말한 목적에 맞는 짧고 정중한 이메일 초안 작성",
  },
  routing: {
    keywords: { en: ["email", "e-mail"], ko: ["이메일", "메일"] },
    examples: {
      en: [
        {
          request: "Email the team that Friday's meeting moves to 3 pm",
          steps: [{ task: "Draft the email" }],
        },
      ],
      ko: [
        { request: "금요일 회의가 3시로 바뀌었다고 팀에 메일 써 줘", steps: [{ task: "메일 초안 작성" }] },
      ],
    },
  },
  approval: "planner",
  async run(step, ctx) {
    const role = "You are the Email agent. Draft the email: a subject line, then a short body.";
    const answer = await askForAnswer("email", step, ctx, {
      messages: agentMessages(role, step, ctx),
      retry: false,
    });
    return { result: answer.result, confidence: answer.confidence };
  },
};

describe.each(DATABASE_KINDS)("a registered agent on %s", (kind) => {
  const { make } = serviceFixture(kind);

  it("is offered to the planner, chosen by its own keywords when the model's plan is unusable, and run", async () => {
    const prompts: string[] = [];
    const offered: unknown[] = [];
    const { service } = make({
      agents: [...DEFAULT_AGENTS, emailAgent],
      scripted: {
        handlers: {
          plan: (call: ScriptedCall) => {
            prompts.push(call.messages.map((message) => message.content).join("\n"));
            offered.push(call.context.agents);
            throw new OctoError("llm_invalid_output", "not a plan");
          },
          "agent:email": (call: ScriptedCall) => ({
            result: `Subject: ${String(call.context.task)}\n\nHello team, …`,
            confidence: 0.7,
          }),
        },
      },
    });

    const english = await send(service, "Please email the team that the demo moved to Monday");
    const plan = ofType(english, "plan")[0];
    expect(plan?.steps.map((step) => step.agent)).toEqual(["email"]);
    expect(resultOf(english).aggregated_data.steps).toEqual([
      expect.objectContaining({
        agent: "email",
        status: "completed",
        result: expect.stringContaining("Subject:"),
      }),
    ]);
    expect(prompts[0]).toContain("- email: email drafting: writes a short, polite email");
    expect(prompts[0]).toContain("Email the team that Friday's meeting moves to 3 pm");
    expect(offered[0]).toEqual(
      expect.arrayContaining(["search", "web", "contract", "code", "data", "email"]),
    );

    const korean = await send(service, "고객에게 배송 지연을 알리는 메일을 써 줘", {
      threadKey: "console:ko",
    });
    expect(ofType(korean, "plan")[0]?.steps.map((step) => step.agent)).toEqual(["email"]);
    expect(prompts[1]).toContain("- email: 이메일 작성");
  });

  it("is unknown to a service without it: the planner cannot name it and the request goes to search", async () => {
    const { service } = make({
      scripted: {
        handlers: {
          plan: () => ({
            steps: [{ id: 1, agent: "email", task: "write the email", description: "d", depends_on: [] }],
          }),
        },
      },
    });
    const events = await send(service, "write the email to the team");
    const step = ofType(events, "plan")[0]?.steps[0];
    // The plan schema's agent is an enum of the registry: a plan naming "email" is not a plan here.
    expect(step?.agent).toBe("search");
  });
});
