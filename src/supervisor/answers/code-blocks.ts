/**
 * The JavaScript in a model's answer. Models wrap code in fences (```js, ```javascript, ~~~, or none
 * named), sometimes leave the last fence open when they run out of tokens, sometimes write bare code,
 * and sometimes write another language altogether: only JavaScript is taken, never Python passed off
 * as it.
 */

const JAVASCRIPT = new Set(["js", "javascript", "mjs", "cjs", "node", "nodejs", "jsx", "ecmascript"]);

/** Lines that start bare code, as opposed to prose. */
const CODE_START =
  /^\s*(?:const|let|var|function|async\s+function|class|for|while|if|return|console\.|\/\/|\/\*|\(|\[|[A-Za-z_$][\w$]*\s*(?:=|\())/;

interface Block {
  language: string;
  body: string;
}

function blocks(answer: string): Block[] {
  const found: Block[] = [];
  const fence = /(^|\n)[ \t]*(```+|~~~+)[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)(?:\n[ \t]*\2[ \t]*(?=\n|$)|$)/g;
  for (const match of answer.replace(/\r\n?/g, "\n").matchAll(fence))
    found.push({ language: (match[3] ?? "").toLowerCase(), body: match[4] ?? "" });
  return found;
}

/** The first JavaScript block (or, when none is named, the first unnamed one); undefined when there is none. */
export function javascriptIn(answer: string): string | undefined {
  const fenced = blocks(answer);
  const chosen =
    fenced.find((block) => JAVASCRIPT.has(block.language) && block.body.trim()) ??
    fenced.find((block) => block.language === "" && block.body.trim());
  if (chosen) return chosen.body.trim();
  if (fenced.length > 0) return undefined;
  // No fence at all: bare code counts when it opens like code and has the shape of a statement.
  const text = answer.trim();
  if (CODE_START.test(text) && /[;{}()]/.test(text)) return text;
  return undefined;
}

/** The answer's words around its code blocks: what the model said the code does. */
export function proseAround(answer: string): string {
  return answer
    .replace(/(^|\n)[ \t]*(```+|~~~+)[^\n]*\n[\s\S]*?(?:\n[ \t]*\2[ \t]*(?=\n|$)|$)/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
