/**
 * The parts of a page that matter to a task, within a character budget: the page's blocks (paragraphs,
 * headings, list runs) scored by how many of the task's character bigrams they share, the best kept in
 * page order. Works the same on Korean and English without a tokenizer. A page with nothing in common
 * with the task is given from its beginning. Omitted blocks are marked with `…`, so the reader knows
 * there is more.
 */
export function excerpt(markdown: string, query: string, budget: number): string {
  const text = markdown.trim();
  if (text.length <= budget) return text;
  const blocks = text
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean);
  const wanted = bigrams(query);
  const scored = blocks.map((block, index) => ({ block, index, score: overlap(bigrams(block), wanted) }));
  const chosen = new Set<number>();
  let used = 0;
  const order = scored.some((entry) => entry.score > 0)
    ? [...scored].sort((a, b) => b.score - a.score || a.index - b.index)
    : scored;
  for (const entry of order) {
    const cost = entry.block.length + 2;
    if (used + cost > budget) continue;
    chosen.add(entry.index);
    used += cost;
  }
  if (chosen.size === 0) return `${cutAt(order[0]?.block ?? text, budget - 1)}…`;
  const parts: string[] = [];
  blocks.forEach((block, index) => {
    if (chosen.has(index)) parts.push(block);
    else if (parts.at(-1) !== "…") parts.push("…");
  });
  return parts.join("\n\n");
}

function cutAt(text: string, max: number): string {
  let cut = Math.max(0, Math.min(max, text.length));
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut).trimEnd();
}

function bigrams(text: string): Set<string> {
  const chars = [
    ...text
      .toLowerCase()
      .replace(/https?:\/\/\S+/g, " ")
      .replace(/[^\p{L}\p{N}]+/gu, ""),
  ];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) grams.add(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

/** Shared bigrams, damped by the block's size so a long block does not win by length alone. */
function overlap(block: Set<string>, wanted: Set<string>): number {
  let shared = 0;
  for (const gram of block) if (wanted.has(gram)) shared += 1;
  return shared === 0 ? 0 : shared / Math.sqrt(block.size);
}
