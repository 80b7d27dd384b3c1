import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../../log.js";
import type { KbChunk, KnowledgeStore } from "../../store/index.js";
import { CHUNK_DEFAULTS, type ChunkOptions, chunkSections, type Section } from "./chunk.js";
import {
  isKbIngestError,
  KbIngestError,
  type KbKind,
  kindOf,
  readSections,
  textSections,
} from "./extract.js";
import { snippetOf } from "./snippet.js";
import { queryTerms } from "./terms.js";

/** A retrieved chunk, with what to cite: its document, section and the lines that matched. */
export interface KbHit {
  source: string;
  heading: string;
  ordinal: number;
  body: string;
  /** A short passage of `body` around the first matched term, for citations. */
  snippet: string;
  score: number;
  /** Share of the query's terms this chunk matched, 0..1: what the agent's confidence rests on. */
  coverage: number;
  /** From a file attached to the conversation rather than the stored knowledge base. */
  attached: boolean;
}

export interface KbSearchResult {
  /** The terms searched for (empty when the question had none worth searching). */
  terms: string[];
  hits: KbHit[];
}

export interface IngestReport {
  source: string;
  kind: KbKind;
  chunks: number;
  /** Chunks of an earlier ingestion of the same source that this one replaced. */
  replaced: number;
}

export interface IngestFailure {
  file: string;
  reason: string;
}

export interface KnowledgeBaseOptions {
  logger?: Logger;
  chunking?: ChunkOptions;
  /** Chunks of attachments ranked per search at most; the rest of a huge file is left out and logged. */
  maxAttachedChunks?: number;
}

/** What a search agent is given: the documents ingested into the project's database, and search. */
export class KnowledgeBase {
  private readonly chunking: ChunkOptions;
  private readonly maxAttachedChunks: number;

  constructor(
    private readonly store: KnowledgeStore,
    private readonly options: KnowledgeBaseOptions = {},
  ) {
    this.chunking = options.chunking ?? CHUNK_DEFAULTS;
    this.maxAttachedChunks = options.maxAttachedChunks ?? 2_000;
  }

  /**
   * The chunks best matching `query`, stored ones and those of `attachments` ranked together. A turn's
   * attachments are chunked here, in memory, for this search only, not stored: they already live in the
   * thread's checkpointed turn, which rewind and forget govern; a stored copy would outlive both (a
   * forgotten thread's contract still found) and need its own clean-up. Chunking a few megabytes per
   * step costs milliseconds; the ranking is the same SQL either way, so an attachment and a policy page
   * compete fairly.
   */
  async search(
    query: string,
    options: { limit?: number; attachments?: readonly { name: string; text: string }[] } = {},
  ): Promise<KbSearchResult> {
    const terms = queryTerms(query);
    if (terms.length === 0) return { terms, hits: [] };
    const given = this.attachedChunks(options.attachments ?? []);
    const matches = await this.store.search(terms, { limit: options.limit ?? 5, given });
    return {
      terms,
      hits: matches.map((match) => ({
        source: match.source,
        heading: match.heading,
        ordinal: match.ordinal,
        body: match.body,
        snippet: snippetOf(match.body, match.heading, terms),
        score: match.score,
        coverage: Math.min(1, match.matched / terms.length),
        attached: match.given,
      })),
    };
  }

  private attachedChunks(files: readonly { name: string; text: string }[]): KbChunk[] {
    const chunks = files.flatMap((file) =>
      chunkSections(textSections(file.text), this.chunking).map((chunk) => ({ ...chunk, source: file.name })),
    );
    if (chunks.length > this.maxAttachedChunks)
      this.options.logger?.warn(
        { chunks: chunks.length, searched: this.maxAttachedChunks },
        "attachments too large to search whole; searching their beginning",
      );
    return chunks.slice(0, this.maxAttachedChunks);
  }

  /** Ingests one file under `source` (default: its path as given), replacing an earlier ingestion of it. */
  async ingestFile(file: string, source = sourceName(file)): Promise<IngestReport> {
    const { kind, sections } = await readSections(file);
    return this.ingestSections(source, kind, sections);
  }

  async ingestSections(source: string, kind: KbKind, sections: readonly Section[]): Promise<IngestReport> {
    const chunks = chunkSections(sections, this.chunking);
    if (chunks.length === 0) throw new KbIngestError("no_text", source, `${source}: the file has no text`);
    const replaced = await this.store.replaceDocument(source, chunks);
    this.options.logger?.info({ source, kind, chunks: chunks.length, replaced }, "knowledge base: ingested");
    return { source, kind, chunks: chunks.length, replaced };
  }

  /**
   * Ingests files and every supported file under folders, each on its own: a file that cannot be read
   * is reported and the others still go in. Sources are named relative to `options.base` (default: the
   * working directory), so a file ingested again from the same place replaces its earlier chunks.
   */
  async ingestPaths(
    paths: readonly string[],
    options: { base?: string } = {},
  ): Promise<{ ingested: IngestReport[]; failed: IngestFailure[] }> {
    const ingested: IngestReport[] = [];
    const failed: IngestFailure[] = [];
    for (const given of paths) {
      const files = await filesUnder(given).catch((error: unknown) => {
        failed.push({ file: given, reason: isKbIngestError(error) ? error.message : String(error) });
        return [];
      });
      for (const file of files) {
        try {
          ingested.push(await this.ingestFile(file, sourceName(file, options.base)));
        } catch (error) {
          if (!isKbIngestError(error)) throw error;
          this.options.logger?.warn({ file, code: error.code }, "knowledge base: file not ingested");
          failed.push({ file, reason: error.message });
        }
      }
    }
    return { ingested, failed };
  }

  /**
   * Fills an empty knowledge base from `folder` (the sample shipped in the repository), so a first start
   * has something real to search. A knowledge base with anything in it is left alone, whoever filled it.
   */
  async seedIfEmpty(folder = SAMPLE_KB_DIR): Promise<IngestReport[] | undefined> {
    if ((await this.store.count()) > 0) return undefined;
    // Named from the repository's root ("kb/sample/approvals.md"), wherever the process was started.
    const { ingested, failed } = await this.ingestPaths([folder], { base: PACKAGE_ROOT });
    for (const failure of failed)
      this.options.logger?.warn({ file: failure.file, reason: failure.reason }, "sample page not ingested");
    return ingested;
  }

  count(): Promise<number> {
    return this.store.count();
  }

  documents() {
    return this.store.documents();
  }

  remove(source: string): Promise<number> {
    return this.store.removeDocument(source);
  }
}

/** The pages ingested into an empty knowledge base at start (OCTO_KB_SAMPLE), in Korean and English. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const SAMPLE_KB_DIR = path.join(PACKAGE_ROOT, "kb", "sample");

/** A file's name in the knowledge base: relative to `base` (the working directory) when inside it, with `/`. */
export function sourceName(file: string, base = process.cwd()): string {
  const absolute = path.resolve(file);
  const relative = path.relative(base, absolute);
  const name = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
  return name.split(path.sep).join("/");
}

/** `given` itself when a file, else the supported files under it (hidden folders skipped), sorted. */
async function filesUnder(given: string): Promise<string[]> {
  const info = await stat(given).catch((error: unknown) => {
    throw new KbIngestError("missing", given, `${given}: no such file or folder`, { cause: error });
  });
  if (info.isFile()) return [given];
  const entries = await readdir(given, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(given, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(full)));
    else if (entry.isFile() && kindOf(entry.name)) files.push(full);
  }
  return files;
}
