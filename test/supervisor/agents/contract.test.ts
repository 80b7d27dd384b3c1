import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { ScriptedLlm } from "../../../src/llm/scripted.js";
import { contractAgent } from "../../../src/supervisor/agents/contract.js";
import { DEFAULT_AGENTS } from "../../../src/supervisor/agents/index.js";
import { AgentRegistry } from "../../../src/supervisor/registry.js";
import { ArtifactSchema } from "../../../src/supervisor/types.js";
import { ofType, resultOf, send } from "../../conversations/support.js";
import { openTestStore, type TestStore } from "../../support/databases.js";
import { collectEvents } from "../../support/events.js";
import { createTestService } from "../../support/service.js";
import { agentContext } from "./context.js";

const step = (task: string) => ({ id: 1, task, description: "" });

function draft(request: string, options: { locale?: "en" | "ko"; llm?: ScriptedLlm } = {}) {
  const llm = options.llm ?? new ScriptedLlm();
  return contractAgent.run(step(request), agentContext(llm, { request, locale: options.locale ?? "en" }));
}

describe("the contract agent", () => {
  it("drafts an English NDA from the template, lists what is missing as questions, attaches it as a document", async () => {
    const output = await draft("Draft an NDA between Acme Corp and Beta LLC");
    expect(output.result).toContain("**Mutual Non-Disclosure Agreement: Acme Corp / Beta LLC**");
    expect(output.result).toContain("This is a draft for review");
    expect(output.result).toContain("- First party: Acme Corp\n- Second party: Beta LLC");
    expect(output.result).toContain("Assumed (please confirm or change):\n- Confidentiality period: 3 years");
    expect(output.result).toContain(
      [
        "Missing, please tell me:",
        "1. From which date should the agreement apply?",
        "2. For what purpose will the parties share confidential information (for example, evaluating a partnership)?",
        "3. Which country's (or state's) law should govern the agreement?",
      ].join("\n"),
    );
    expect(output.confidence).toBeCloseTo(0.66);
    expect(output.sources).toEqual([{ title: "Contract template src/tools/contracts/templates/nda.en.md" }]);
    const [document] = output.artifacts ?? [];
    expect(ArtifactSchema.parse(document)).toMatchObject({
      kind: "document",
      title: "Mutual Non-Disclosure Agreement: Acme Corp / Beta LLC",
      name: "nda-acme-corp-beta-llc-draft",
    });
    const markdown = document?.kind === "document" ? document.markdown : "";
    expect(markdown.split("\n").slice(0, 5)).toEqual([
      "# MUTUAL NON-DISCLOSURE AGREEMENT",
      "",
      "> Draft for review: not final until checked and signed by both parties; not legal advice.",
      ">",
      "> Still to complete: Effective date, Purpose, Governing law",
    ]);
    expect(markdown).toContain(
      'is made on [Effective date] (the "Effective Date") between **Acme Corp** and **Beta LLC**',
    );
    expect(markdown).not.toContain("{{");
  });

  it("drafts a complete Korean services agreement with Korean dates and amounts, and no questions", async () => {
    const output = await draft(
      "가나소프트와 다라전자 사이의 웹사이트 개발 용역 계약서를 써 줘. 월 500만 원, 2027년 1월 2일 시작, 6개월, 청구 후 15일 이내 지급",
      { locale: "ko" },
    );
    expect(output.result).toContain("**용역계약서: 가나소프트 / 다라전자**");
    expect(output.result).toContain("필수 정보가 요청에 모두 들어 있었습니다.");
    expect(output.result).toContain(
      "가나소프트을(를) 갑(발주자), 다라전자을(를) 을(수급자)(으)로 보았습니다",
    );
    expect(output.result).toContain("가정한 내용(확인하거나 바꿔 주세요):\n- 준거법: 대한민국");
    expect(output.confidence).toBe(0.9);
    const [document] = output.artifacts ?? [];
    expect(document).toMatchObject({ kind: "document", name: "service-ko-2027-01-02" });
    const markdown = document?.kind === "document" ? document.markdown : "";
    expect(markdown).toContain("다음 금액을 지급한다: 월 금 5,000,000원(부가가치세 별도)");
    expect(markdown).toContain("본 계약은 2027년 1월 2일부터 효력이 발생한다");
    expect(markdown).toContain("효력 발생일부터 6개월간으로 한다");
    expect(markdown).toContain("15일 이내에 대금을 지급한다");
    expect(markdown).toContain("> 검토용 초안");
  });

  it("uses the English template when a Korean request asks for one", async () => {
    const output = await draft("Acme와 Beta 사이의 영문 NDA 초안을 작성해 줘", { locale: "ko" });
    expect(output.result).toContain("상호 비밀유지계약서 (영문) 템플릿으로 채운 검토용 초안입니다.");
    expect(output.result).toContain("- 비밀유지기간: 3년");
    expect(output.artifacts?.[0]).toMatchObject({ title: "Mutual Non-Disclosure Agreement: Acme / Beta" });
    expect(output.result).toContain(
      "빠진 정보, 알려 주세요:\n1. 계약은 언제부터 효력이 있어야 하나요(날짜)?",
    );
  });

  it("asks the model for what the patterns missed, and keeps only what the request itself says", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        "agent:contract": () => ({
          party_a: "Acme Corp",
          party_b: "Beta LLC",
          effective_date: "2026-12-01",
          purpose: "evaluating a merger",
          governing_law: "Delaware",
        }),
      },
    });
    const request = "Please prepare an NDA for Acme Corp and Beta LLC; the topic is evaluating a merger.";
    const output = await draft(request, { llm });
    expect(llm.calls.map((call) => [call.purpose, call.context.fields])).toEqual([
      [
        "agent:contract",
        ["party_a", "party_b", "effective_date", "purpose", "confidentiality_period", "governing_law"],
      ],
    ]);
    expect(output.result).toContain(
      "- First party: Acme Corp\n- Second party: Beta LLC\n- Purpose: evaluating a merger",
    );
    // The model made the date and the law up: neither is in the request, so both are still asked for.
    expect(output.result).toContain("1. From which date should the agreement apply?");
    expect(output.result).toContain("2. Which country's (or state's) law should govern the agreement?");
    expect(output.result).not.toContain("Delaware");
  });

  it("drafts without the model when the model cannot answer", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        "agent:contract": () => {
          throw new Error("model unavailable");
        },
      },
    });
    const output = await draft("Draft an NDA", { llm });
    expect(output.artifacts).toHaveLength(1);
    expect(output.result).toContain(
      "1. What is the full legal name of the first party (usually your company)?",
    );
  });

  it("says honestly when no template fits, or when a review has no contract to read", async () => {
    const lease = await draft("Draft a lease agreement for a small office");
    expect(lease).toMatchObject({ confidence: 0, fallback: true });
    expect(lease.result).toContain(
      "none fits this request. The templates are: Mutual Non-Disclosure Agreement, Services Agreement.",
    );
    expect(lease.artifacts).toBeUndefined();
    const review = await draft("Review the termination clause of our supplier contract");
    expect(review).toMatchObject({ confidence: 0, fallback: true });
    expect(review.result).toContain("I need its text");
  });

  it("reviews an attached contract with the model, citing the file", async () => {
    const llm = new ScriptedLlm({
      handlers: {
        "agent:contract": ({ messages }) => ({
          result: messages[1]?.content.includes("Clause 7: either party may terminate at any time")
            ? "Clause 7 lets either party terminate at any time without notice; ask for a notice period."
            : "No contract text.",
          confidence: 0.7,
        }),
      },
    });
    const request = "Review the termination clause of our supplier contract";
    const output = await contractAgent.run(
      step(request),
      agentContext(llm, {
        request,
        attachments: [{ name: "supplier.txt", text: "Clause 7: either party may terminate at any time." }],
      }),
    );
    expect(output.result).toBe(
      "Clause 7 lets either party terminate at any time without notice; ask for a notice period.",
    );
    expect(output.sources).toEqual([{ title: "supplier.txt" }]);
  });
});

describe("approval of contract drafts", () => {
  it("is always required: by the agent's own policy and by OCTO_APPROVAL_AGENTS' default", () => {
    expect(loadConfig({}).OCTO_APPROVAL_AGENTS).toEqual(["contract", "code"]);
    expect(new AgentRegistry(DEFAULT_AGENTS).approvalPolicy("contract")).toBe("always");
    expect(
      new AgentRegistry(DEFAULT_AGENTS, {
        approvalAgents: loadConfig({}).OCTO_APPROVAL_AGENTS,
      }).approvalPolicy("contract"),
    ).toBe("always");
  });
});

describe("a contract step in a run", () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore("pglite");
  });
  afterEach(async () => {
    await store.destroy();
  });

  it("stops the run before any draft is made, and attaches the draft once a person approves", async () => {
    const { service, llm } = createTestService(store);
    const events = await send(service, "Draft an NDA between Acme Corp and Beta LLC");
    const [request] = ofType(events, "approval_requested");
    expect(request?.approval).toMatchObject({ agent: "contract", step: 1 });
    expect(ofType(events, "result")).toEqual([]);
    expect((llm as ScriptedLlm).calls.map((call) => call.purpose)).not.toContain("agent:contract");

    const resumed = await collectEvents(
      service.decide(request?.approval.approval_id as string, { decision: "approve", by: "alice" }),
    );
    const [contract] = resultOf(resumed).step_results;
    expect(contract).toMatchObject({
      agent: "contract",
      status: "completed",
      approval: { decision: "approve" },
    });
    expect(contract?.artifacts?.map((a) => [a.kind, a.name])).toEqual([
      ["document", "nda-acme-corp-beta-llc-draft"],
    ]);
    expect(contract?.result).toContain("Missing, please tell me:");
    await service.close();
  });
});
