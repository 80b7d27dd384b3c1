import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { SECURITY_HEADERS } from "./page.js";

/**
 * The files the run page loads, all served by the bot (no CDN): Cytoscape.js and its dagre layout from
 * their npm packages, the page's own script and stylesheet, and Noto Sans KR (the font the pictures and
 * PDFs already use) as a web font, so Korean renders on a machine without a Korean font. Each is read
 * once, when first named, and compressed once, on its first request that takes gzip.
 */

const require = createRequire(import.meta.url);
const own = (file: string) => fileURLToPath(new URL(`./assets/${file}`, import.meta.url));
/**
 * A file of an installed package. Packages' `exports` name neither their minified builds nor always
 * their package.json, so the root is found from the main entry, upwards.
 */
function packaged(main: string, name: string, file: string): string {
  let dir = path.dirname(main);
  while (!existsSync(path.join(dir, "package.json")) || path.basename(dir) !== path.basename(name)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package ${name}`);
    dir = parent;
  }
  return path.join(dir, file);
}

/** The stylesheet names the font by this file name; `{{font}}` in it becomes the versioned URL. */
const FONT_ASSET = "noto-sans-kr-400.ttf";

const SOURCES: Record<string, { path: () => string; type: string }> = {
  "cytoscape.min.js": {
    path: () => packaged(require.resolve("cytoscape"), "cytoscape", "dist/cytoscape.min.js"),
    type: "text/javascript; charset=utf-8",
  },
  "cytoscape-dagre.min.js": {
    path: () =>
      packaged(require.resolve("cytoscape-dagre"), "cytoscape-dagre", "dist/cytoscape-dagre.min.js"),
    type: "text/javascript; charset=utf-8",
  },
  "viewer.js": { path: () => own("viewer.js"), type: "text/javascript; charset=utf-8" },
  "viewer.css": { path: () => own("viewer.css"), type: "text/css; charset=utf-8" },
  [FONT_ASSET]: {
    path: () =>
      packaged(
        require.resolve("@expo-google-fonts/noto-sans-kr"),
        "@expo-google-fonts/noto-sans-kr",
        "400Regular/NotoSansKR_400Regular.ttf",
      ),
    type: "font/ttf",
  },
};

interface LoadedAsset {
  data: Buffer;
  /** Compressed on the first request that takes gzip. */
  gzipped: Buffer | undefined;
  type: string;
  /** Content hash: the ETag and the `v` of the page's URLs. */
  version: string;
}

/** A year: an asset URL carrying its content hash never changes meaning. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** A request without the current hash (an old page, a hand-typed URL) revalidates soon. */
const REVALIDATE = "public, max-age=300";

export class ViewerAssets {
  private readonly loaded = new Map<string, LoadedAsset>();

  has(name: string): boolean {
    return Object.hasOwn(SOURCES, name);
  }

  version(name: string): string {
    return this.load(name).version;
  }

  /** The asset as a response: 304 when the browser has it, gzip when it takes it. */
  respond(name: string, request: { url: URL; headers: Headers }): Response {
    if (!this.has(name)) return new Response("not found", { status: 404, headers: SECURITY_HEADERS });
    const asset = this.load(name);
    const etag = `"${asset.version}"`;
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      "content-type": asset.type,
      "cache-control": request.url.searchParams.get("v") === asset.version ? IMMUTABLE : REVALIDATE,
      etag,
      vary: "accept-encoding",
    };
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
    const gzip = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
    if (gzip) asset.gzipped ??= gzipSync(asset.data);
    const body = gzip && asset.gzipped ? asset.gzipped : asset.data;
    if (gzip) headers["content-encoding"] = "gzip";
    headers["content-length"] = String(body.length);
    return new Response(new Uint8Array(body), { status: 200, headers });
  }

  private load(name: string): LoadedAsset {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const source = SOURCES[name];
    if (!source) throw new Error(`no viewer asset ${name}`);
    let data = readFileSync(source.path());
    if (name === "viewer.css")
      data = Buffer.from(
        data.toString("utf8").replaceAll("{{font}}", `${FONT_ASSET}?v=${this.version(FONT_ASSET)}`),
      );
    const asset: LoadedAsset = {
      data,
      gzipped: undefined,
      type: source.type,
      version: createHash("sha256").update(data).digest("base64url").slice(0, 16),
    };
    this.loaded.set(name, asset);
    return asset;
  }
}
