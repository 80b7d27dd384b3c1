import { type FontWeight, glyphRun } from "./font.js";

/**
 * Text for the SVG pictures as outlines from the bundled font, each distinct glyph defined once and
 * placed with `<use>`. resvg outlines every glyph of every `<text>` anew (about 1.2 s for a 120-step
 * plan); reusing outlines makes the same picture about five times faster, and the picture can only ever
 * show glyphs the bundled Hangul font has, whatever fonts the machine has.
 */

export interface TextOptions {
  size: number;
  weight?: FontWeight;
  fill?: string;
  anchor?: "start" | "end";
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Collects the glyph outlines one picture uses; `defs()` goes into the SVG once. */
export class GlyphSheet {
  private readonly used = new Map<string, string>();

  /** SVG for one line of text with its baseline at (x, y); `text` must already be printable. */
  text(text: string, x: number, y: number, options: TextOptions): string {
    const weight = options.weight ?? "regular";
    const run = glyphRun(text, weight);
    if (run.glyphs.length === 0) return "";
    const scale = options.size / run.unitsPerEm;
    const width = run.advance * scale;
    const left = options.anchor === "end" ? x - width : x;
    const uses = run.glyphs
      .filter((glyph) => glyph.path.length > 0)
      .map((glyph) => {
        const id = `${weight === "bold" ? "b" : "r"}${glyph.id}`;
        if (!this.used.has(id)) this.used.set(id, glyph.path);
        return `<use href="#${id}" x="${Math.round(glyph.x)}"/>`;
      })
      .join("");
    const fill = options.fill ? ` fill="${options.fill}"` : "";
    return `<g transform="translate(${number(left)},${number(y)}) scale(${scale.toFixed(5)},${(-scale).toFixed(5)})"${fill}>${uses}</g>`;
  }

  defs(): string {
    return [...this.used].map(([id, path]) => `<path id="${id}" d="${path}"/>`).join("");
  }
}
