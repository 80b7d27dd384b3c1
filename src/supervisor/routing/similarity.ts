/**
 * How alike two short texts are, 0..1: the Dice coefficient of their character bigrams, ignoring case,
 * spaces and punctuation. Works the same on Korean and English and needs no tokenizer; good enough to
 * pick the closest worked example and to spot a text copied with small changes.
 */
export function similarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  if (left.size === 0 || right.size === 0) return normalized(a) === normalized(b) ? 1 : 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared += 1;
  return (2 * shared) / (left.size + right.size);
}

export function normalized(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

function bigrams(text: string): Set<string> {
  const chars = [...normalized(text)];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) grams.add(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

/** The same text, or one a model copied with a word or two changed. */
export function nearlySame(a: string, b: string, threshold = 0.85): boolean {
  const x = normalized(a);
  const y = normalized(b);
  if (!x || !y) return false;
  return x === y || similarity(a, b) >= threshold;
}
