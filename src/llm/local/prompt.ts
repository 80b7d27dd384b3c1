import {
  type ChatHistoryItem,
  type ChatWrapper,
  GeneralChatWrapper,
  type LlamaModel,
  resolveChatWrapper,
} from "node-llama-cpp";
import type { LlmMessage } from "../types.js";

/**
 * How a conversation is laid out for the local model. A GGUF that carries a chat template (every
 * instruction-tuned model) gets the wrapper node-llama-cpp resolves for it. The bundled Gemma 3 270M
 * file is the pretrained base model and has no template: under Gemma's turn markers it only echoes the
 * prompt, while a plain "### User / ### Response" layout with two worked exchanges makes it answer,
 * and answer in the language of the exchange closest to the question.
 */
export interface PromptStyle {
  wrapper: ChatWrapper;
  /** Base model: show worked exchanges before the conversation. */
  primed: boolean;
}

export function promptStyleFor(model: LlamaModel): PromptStyle {
  const template = model.fileInfo.metadata?.tokenizer?.chat_template;
  if (typeof template === "string" && template.trim()) {
    const wrapper = resolveChatWrapper(model);
    if (wrapper) return { wrapper, primed: false };
  }
  return { wrapper: new GeneralChatWrapper(), primed: true };
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;

export function looksKorean(text: string): boolean {
  const letters = text.replace(/[\s\d\p{P}\p{S}]/gu, "");
  if (!letters) return false;
  const hangul = [...letters].filter((char) => HANGUL.test(char)).length;
  return hangul / [...letters].length >= 0.3;
}

type Exchange = { user: string; model: string };

const CHAT_EXAMPLES: Record<"en" | "ko", Exchange> = {
  en: {
    user: "How long does it take light from the Sun to reach Earth?",
    model: "Sunlight takes about 8 minutes and 20 seconds to reach Earth.",
  },
  ko: {
    user: "물은 몇 도에서 끓나요?",
    model: "물은 해수면 기준으로 섭씨 100도에서 끓습니다.",
  },
};

/**
 * A worked structured answer: the question's answer goes into the text field, written out in full. Its
 * topic is far from anything a user of an office assistant asks, since a base model borrows from it.
 */
const JSON_EXAMPLES: Record<"en" | "ko", Exchange> = {
  en: {
    user: 'Question: How does a rainbow form? Reply as JSON {"answer": string, "certainty": number}.',
    model:
      '{"answer": "A rainbow forms when sunlight is refracted and reflected inside raindrops.", "certainty": 0.9}',
  },
  ko: {
    user: '질문: 무지개는 어떻게 생기나요? JSON {"answer": string, "certainty": number} 으로 답하세요.',
    model: '{"answer": "무지개는 햇빛이 공기 중의 물방울에서 굴절하고 반사되어 생깁니다.", "certainty": 0.9}',
  },
};

export interface HistoryOptions {
  primed: boolean;
  json: boolean;
  /** The answer's language as the caller decided it; guessed from the last user message otherwise. */
  locale?: "ko" | "en" | undefined;
  /** The messages bring their own worked examples (the planner's): add none. */
  fewShot?: boolean | undefined;
}

/** The texts of the built-in worked answers, so a caller can tell when a model merely copied one. */
export function primingAnswers(): string[] {
  return [...Object.values(CHAT_EXAMPLES), ...Object.values(JSON_EXAMPLES)].flatMap((example) => {
    const answer = /"answer":\s*"([^"]*)"/.exec(example.model)?.[1];
    return answer ? [answer] : [example.model];
  });
}

/** Our messages as node-llama-cpp chat history, ending with the (empty) turn the model fills. */
export function toChatHistory(messages: readonly LlmMessage[], options: HistoryOptions): ChatHistoryItem[] {
  const system = messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n\n");
  const turns = messages.filter((message) => message.role !== "system");
  const history: ChatHistoryItem[] = [];
  if (system) history.push({ type: "system", text: system });
  if (options.primed && !options.fewShot) {
    const lastUser = [...turns].reverse().find((message) => message.role === "user")?.content ?? "";
    // The caller's decision wins: a prompt quoting an earlier Korean turn is not a Korean request.
    const language = options.locale ?? (looksKorean(lastUser) ? "ko" : "en");
    // The example in the question's language goes last: a base model copies the nearest pattern.
    const order = language === "ko" ? (["en", "ko"] as const) : (["ko", "en"] as const);
    const examples: Exchange[] = order.map((key) => CHAT_EXAMPLES[key]);
    if (options.json) examples.push(...order.map((key) => JSON_EXAMPLES[key]));
    for (const example of examples) {
      history.push({ type: "user", text: example.user });
      history.push({ type: "model", response: [example.model] });
    }
  }
  for (const message of turns) {
    if (message.role === "assistant") history.push({ type: "model", response: [message.content] });
    else history.push({ type: "user", text: message.content });
  }
  history.push({ type: "model", response: [] });
  return history;
}
