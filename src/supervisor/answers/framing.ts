import { t } from "../../i18n/index.js";
import type { Locale } from "../../vocabulary/index.js";
import type { AgentOutput } from "../agents/types.js";
import { codeOnly } from "./degenerate.js";

/**
 * A code-only answer has no prose, so it is in no language and cannot be wrong-language; shown bare in
 * a Korean turn it still reads as if the assistant switched language. It gets one line in the turn's
 * language that says what it is and, honestly, that the model gave no explanation.
 */
export function framedCode(output: AgentOutput, locale: Locale): AgentOutput {
  if (output.fallback || !codeOnly(output.result)) return output;
  return { ...output, result: `${t(locale, "answer.code_only")}\n\n${output.result.trim()}` };
}
