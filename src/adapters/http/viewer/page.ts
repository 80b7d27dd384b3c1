import { t } from "../../../i18n/index.js";

/**
 * The run page's HTML and the headers every viewer response carries. The page is a fixed shell (no
 * conversation data in it, so a bad token and a good one differ only in status and shell); the script
 * fills it from the event stream. Asset and stream URLs are relative to the page, so the viewer works
 * behind a proxy that serves it under a path prefix.
 */

/** Nothing but our own scripts, styles, font and stream; no framing, no base tag, no form posts. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  // The token is in the page's URL: a click on a cited source must not hand it to that site.
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "x-robots-tag": "noindex, nofollow",
};

/** Where the assets are served, and how the page (at `/runs/{token}`) reaches them. */
export const ASSET_PREFIX = "/viewer/assets/";
const ASSET_BASE = `..${ASSET_PREFIX}`;

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** An asset's URL from the page, with its content hash so a new release is never served from a cache. */
export type AssetUrl = (name: string) => string;

export function assetUrlOf(versions: (name: string) => string): AssetUrl {
  return (name) => `${ASSET_BASE}${name}?v=${versions(name)}`;
}

function htmlResponse(body: string, status: number): Response {
  return new Response(body, {
    status,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}

/** The page of a run; `eventsPath` is the stream's URL relative to the page. */
export function runPage(asset: AssetUrl, eventsPath: string): Response {
  const title = t("en", "viewer.title");
  return htmlResponse(
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" id="__________cytoscape_stylesheet" href="${escapeHtml(asset("viewer.css"))}">
<script defer src="${escapeHtml(asset("cytoscape.min.js"))}"></script>
<script defer src="${escapeHtml(asset("cytoscape-dagre.min.js"))}"></script>
<script defer src="${escapeHtml(asset("viewer.js"))}"></script>
</head>
<body data-events="${escapeHtml(eventsPath)}">
<header>
<h1 id="title">${escapeHtml(title)}</h1>
<p id="headline" role="status" aria-live="polite"></p>
<span id="connection"></span>
</header>
<main>
<section id="graph" aria-label="plan"></section>
<aside id="panel"><h2 id="panel-heading"></h2><p id="panel-hint"></p><dl id="panel-details"></dl></aside>
</main>
<ul id="legend"></ul>
<section id="answer" hidden>
<h2 id="answer-heading"></h2>
<p id="request"></p>
<p id="summary"></p>
<div id="answer-text"></div>
</section>
</body>
</html>
`,
    200,
  );
}

/**
 * A link that is tampered with, malformed or expired: 403 and a sentence in both languages (the run's
 * own is unknown without a valid token), nothing of the conversation.
 */
export function forbiddenPage(asset: AssetUrl): Response {
  const lines = (["en", "ko"] as const).map(
    (locale) =>
      `<h1 lang="${locale}">${escapeHtml(t(locale, "viewer.forbidden_title"))}</h1>\n<p lang="${locale}">${escapeHtml(t(locale, "viewer.forbidden"))}</p>`,
  );
  return htmlResponse(
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${escapeHtml(t("en", "viewer.forbidden_title"))}</title>
<link rel="stylesheet" href="${escapeHtml(asset("viewer.css"))}">
</head>
<body class="forbidden">
${lines.join("\n")}
</body>
</html>
`,
    403,
  );
}
