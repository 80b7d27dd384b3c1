import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";
import type { PageKind } from "./body.js";

export interface PageText {
  title: string;
  markdown: string;
}

/** Below this much text Readability gives up on finding an article and the whole body is converted. */
const ARTICLE_MIN_CHARS = 100;

function turndown(): TurndownService {
  const service = new TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
  });
  // Pictures say nothing to a model reading text; their alt text would be noise between paragraphs.
  // (An added rule, because turndown's own image rule comes before anything `remove` lists.)
  service.addRule("leave-out-media", {
    filter: ["img", "picture", "svg", "video", "audio", "iframe", "script", "style", "noscript"],
    replacement: () => "",
  });
  return service;
}

/**
 * An HTML page as Markdown: the article Readability finds (navigation, footers and ads left out), else
 * the body. Links become absolute against the page's final URL (or its own `<base>`), so what the model
 * cites can be followed. `textContent` would glue blocks together ("가이드계약서"); Markdown keeps them apart.
 */
export function htmlToMarkdown(html: string, finalUrl: string): PageText {
  const { document } = parseHTML(html);
  setBase(document, finalUrl);
  dropChrome(document);
  const fallbackTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    charThreshold: ARTICLE_MIN_CHARS,
  }).parse();
  const service = turndown();
  if (article?.content && (article.textContent ?? "").trim().length > 0) {
    return {
      title: (article.title ?? "").trim() || fallbackTitle,
      markdown: tidy(service.turndown(article.content)),
    };
  }
  // Readability changes the document it reads; parse again for the plain conversion.
  const { document: fresh } = parseHTML(html);
  setBase(fresh, finalUrl);
  dropChrome(fresh);
  const body = fresh.querySelector("body")?.innerHTML ?? html;
  return { title: fallbackTitle, markdown: tidy(service.turndown(body)) };
}

const CHROME = "nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo]";

/**
 * Site navigation, banners and footers outside the article. Readability scores them down on a long
 * page, but on a short one they can outweigh the text that matters.
 */
function dropChrome(document: ReturnType<typeof parseHTML>["document"]): void {
  for (const node of document.querySelectorAll(CHROME))
    if (!node.parentElement?.closest("article, main, [role=main]")) node.remove();
}

function setBase(document: ReturnType<typeof parseHTML>["document"], finalUrl: string): void {
  const existing = document.querySelector("base[href]");
  const href = existing?.getAttribute("href");
  let base = finalUrl;
  if (href) {
    try {
      base = new URL(href, finalUrl).href;
    } catch {
      // A malformed <base> is ignored, as browsers do.
    }
  }
  if (existing) existing.setAttribute("href", base);
  else {
    const element = document.createElement("base");
    element.setAttribute("href", base);
    (document.querySelector("head") ?? document.documentElement)?.prepend(element);
  }
}

function tidy(markdown: string): string {
  return markdown
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^-\s{2,}/gm, "- ")
    .trim();
}

/** A non-HTML page as text, with a title from its first heading or the last part of its URL. */
export function textPage(text: string, kind: Exclude<PageKind, "html">, finalUrl: string): PageText {
  const heading = /^#{1,3}\s+(.+)$/m.exec(text)?.[1]?.trim();
  const xmlTitle = kind === "xml" ? /<title[^>]*>([^<]+)<\/title>/i.exec(text)?.[1]?.trim() : undefined;
  const title = (kind === "markdown" ? heading : undefined) ?? xmlTitle ?? lastSegment(finalUrl);
  if (kind === "json") return { title, markdown: `\`\`\`json\n${prettyJson(text)}\n\`\`\`` };
  if (kind === "xml") return { title, markdown: `\`\`\`xml\n${text.trim()}\n\`\`\`` };
  return { title, markdown: text.trim() };
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text.trim();
  }
}

function lastSegment(url: string): string {
  const { hostname, pathname } = new URL(url);
  const segment = pathname.split("/").filter(Boolean).at(-1);
  if (!segment) return hostname;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
