import { describe, expect, it } from "vitest";
import { clip, ELLIPSIS, oneLine, safeCut } from "../../src/vocabulary/index.js";

const isLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe("clip", () => {
  it("returns text that fits unchanged, including at exactly max", () => {
    expect(clip("hello", 5)).toBe("hello");
    expect(clip("", 0)).toBe("");
  });

  it("ends a shortened text with the ellipsis, within max UTF-16 units", () => {
    const out = clip("hello world", 8);
    expect(out).toBe("hello w…");
    expect(out.length).toBe(8);
  });

  it("drops trailing whitespace before the ellipsis", () => {
    expect(clip("hello world", 7)).toBe("hello…");
  });

  it("never splits an emoji's surrogate pair, and stays within max", () => {
    // "ab😀cd": the emoji is two UTF-16 units at 2..3; cutting at 3 would leave a lone high surrogate.
    const out = clip("ab😀cd", 4);
    expect(out).toBe("ab…");
    expect(isLoneSurrogate(out)).toBe(false);
    expect(clip("ab😀cd", 5)).toBe("ab😀…");
  });

  it("keeps every result free of lone surrogates and within max for emoji-only text", () => {
    const text = "😀🎉🚀👍🔥".repeat(5);
    for (let max = 0; max <= text.length + 1; max += 1) {
      const out = clip(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(isLoneSurrogate(out)).toBe(false);
    }
  });

  it("counts Hangul syllables as one unit each (they are single BMP code points)", () => {
    expect(clip("안녕하세요 세계", 6)).toBe("안녕하세요…");
    expect(clip("안녕하세요", 3)).toBe("안녕…");
  });

  it("handles astral Han characters the same way as emoji", () => {
    const text = "𠀀𠀁𠀂"; // three code points, six UTF-16 units
    expect(clip(text, 4)).toBe("𠀀…");
    expect(clip(text, 6)).toBe(text);
  });

  it("gives just the ellipsis (or nothing) when max leaves no room for text", () => {
    expect(clip("hello", 1)).toBe(ELLIPSIS);
    expect(clip("hello", 0)).toBe("");
  });

  it("cuts plainly with an empty ellipsis, still whole code points", () => {
    expect(clip("abcdef", 3, "")).toBe("abc");
    expect(clip("a😀b", 2, "")).toBe("a");
  });

  it("accepts a longer marker and keeps the result within max", () => {
    const out = clip("0123456789", 8, " [more]");
    expect(out).toBe("0 [more]");
    expect(clip("😀😀", 3, "😀")).toBe("😀");
    // No room for the whole marker: none of it, rather than half an emoji.
    expect(clip("😀😀", 1, "😀")).toBe("");
  });
});

describe("safeCut", () => {
  it("moves a cut inside a surrogate pair back to the pair's start", () => {
    expect(safeCut("a😀", 2)).toBe(1);
    expect(safeCut("a😀", 3)).toBe(3);
    expect(safeCut("abc", 10)).toBe(3);
    expect(safeCut("abc", -1)).toBe(0);
  });
});

describe("oneLine", () => {
  it("collapses whitespace runs, newlines included", () => {
    expect(oneLine("  a\n\n b\tc  ")).toBe("a b c");
  });
});
