export { CHUNK_DEFAULTS, type ChunkOptions, chunkSections, markdownSections, type Section } from "./chunk.js";
export {
  isKbIngestError,
  KB_INGEST_FAILURES,
  KB_KINDS,
  KbIngestError,
  type KbIngestFailure,
  type KbKind,
  kindOf,
  MAX_FILE_BYTES,
  readSections,
} from "./extract.js";
export {
  type IngestFailure,
  type IngestReport,
  type KbHit,
  type KbSearchResult,
  KnowledgeBase,
  type KnowledgeBaseOptions,
  SAMPLE_KB_DIR,
  sourceName,
} from "./knowledge-base.js";
export { queryTerms } from "./terms.js";
