import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as fontkit from "fontkit";

/**
 * The Hangul-capable font every picture and PDF uses: Noto Sans KR (OFL) from an npm package, so Korean
 * renders the same on every machine with no system fonts. Loaded once, lazily, on the first render.
 */

const require = createRequire(import.meta.url);

export const FONT_FAMILY = "Noto Sans KR";

const FONT_FILES = {
  regular: "@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf",
} as const;
export type FontWeight = keyof typeof FONT_FILES;

interface CachedGlyph {
  id: number;
  advance: number;
  path: string;
}

interface LoadedFont {
  data: Buffer;
  font: fontkit.Font;
  advance: Map<number, number>;
  glyphs: Map<number, CachedGlyph>;
}

const loaded = new Map<FontWeight, LoadedFont>();

function load(weight: FontWeight): LoadedFont {
  const cached = loaded.get(weight);
  if (cached) return cached;
  const data = readFileSync(fontPath(weight));
  const font = fontkit.create(data) as fontkit.Font;
  const entry: LoadedFont = { data, font, advance: new Map(), glyphs: new Map() };
  loaded.set(weight, entry);
  return entry;
}

/** Where the font file is (resvg reads it itself). */
export function fontPath(weight: FontWeight): string {
  return require.resolve(FONT_FILES[weight]);
}

/** The font file's bytes (pdfkit embeds a subset of them). */
export function fontData(weight: FontWeight): Buffer {
  return load(weight).data;
}

/** Invisible formatting characters that only steer emoji sequences; dropping them loses nothing visible. */
const JOINERS = /[\u200b-\u200f\u2060\u{e0020}-\u{e007f}]|\ufe0e|\ufe0f/gu;

/**
 * Text the font can draw: characters it lacks (emoji, rare scripts) are dropped or replaced by "?"
 * rather than shown as empty boxes. Emoji are dropped because they are decoration next to words.
 */
export function printable(text: string): string {
  const font = load("regular").font;
  let out = "";
  for (const char of text.replace(JOINERS, "")) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\n" || char === "\t") {
      out += char;
    } else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      out += " ";
    } else if (font.hasGlyphForCodePoint(code)) {
      out += char;
    } else if (!/\p{Extended_Pictographic}|\p{Emoji_Component}/u.test(char)) {
      out += "?";
    }
  }
  return out;
}

/** Width of `text` in px at `size`, from the font's advance widths (no kerning: close enough for layout). */
export function measure(text: string, size: number, weight: FontWeight = "regular"): number {
  const entry = load(weight);
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    let advance = entry.advance.get(code);
    if (advance === undefined) {
      advance = entry.font.glyphForCodePoint(code).advanceWidth;
      entry.advance.set(code, advance);
    }
    units += advance;
  }
  return (units / entry.font.unitsPerEm) * size;
}

/**
 * Wraps `text` into at most `maxLines` lines no wider than `width`, breaking at spaces and, for Hangul and
 * other text without spaces, between characters. The last line ends in "…" when text was left out.
 */
export function wrap(
  text: string,
  width: number,
  size: number,
  maxLines: number,
  weight: FontWeight = "regular",
): string[] {
  const lines: string[] = [];
  let line = "";
  const chars = [...text.replace(/\s+/g, " ").trim()];
  let index = 0;
  while (index < chars.length && lines.length < maxLines) {
    const char = chars[index] as string;
    const candidate = line + char;
    if (measure(candidate, size, weight) <= width || line.length === 0) {
      line = candidate;
      index += 1;
      continue;
    }
    // Break at the last space of the line when there is one, so words stay whole.
    const space = line.lastIndexOf(" ");
    if (char !== " " && space > 0) {
      lines.push(line.slice(0, space));
      const carried = [...line.slice(space + 1)].length;
      index -= carried;
    } else {
      lines.push(line.trimEnd());
      if (char === " ") index += 1;
    }
    line = "";
  }
  if (line.length > 0 && lines.length < maxLines) lines.push(line);
  if (index < chars.length && lines.length > 0) {
    let last = lines[lines.length - 1] as string;
    while (last.length > 0 && measure(`${last}…`, size, weight) > width)
      last = [...last].slice(0, -1).join("");
    lines[lines.length - 1] = `${last.trimEnd()}…`;
  }
  return lines;
}

export interface GlyphRun {
  /** Glyphs with their pen position in font units; `path` is the outline as SVG path data (y up). */
  glyphs: { id: number; x: number; path: string }[];
  advance: number;
  unitsPerEm: number;
}

function cachedGlyph(entry: LoadedFont, glyph: fontkit.Glyph): CachedGlyph {
  let cached = entry.glyphs.get(glyph.id);
  if (!cached) {
    cached = { id: glyph.id, advance: glyph.advanceWidth, path: glyph.path.toSVG() };
    entry.glyphs.set(glyph.id, cached);
  }
  return cached;
}

/**
 * Glyphs and positions for one line. Text with combining marks goes through fontkit's shaper; the rest
 * (Hangul syllables, Latin, digits, punctuation) maps one code point to one glyph, which is exact for
 * them and much faster.
 */
export function glyphRun(text: string, weight: FontWeight = "regular"): GlyphRun {
  const entry = load(weight);
  const glyphs: GlyphRun["glyphs"] = [];
  let x = 0;
  if (/\p{M}/u.test(text)) {
    const run = entry.font.layout(text);
    run.glyphs.forEach((glyph, index) => {
      const position = run.positions[index];
      glyphs.push({ id: glyph.id, x: x + (position?.xOffset ?? 0), path: cachedGlyph(entry, glyph).path });
      x += position?.xAdvance ?? glyph.advanceWidth;
    });
  } else {
    for (const char of text) {
      const glyph = cachedGlyph(entry, entry.font.glyphForCodePoint(char.codePointAt(0) ?? 0x20));
      glyphs.push({ id: glyph.id, x, path: glyph.path });
      x += glyph.advance;
    }
  }
  return { glyphs, advance: x, unitsPerEm: entry.font.unitsPerEm };
}
