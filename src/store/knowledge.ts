import type { Database } from "./database.js";

/** One piece of a document as stored: its place in the document and its text. */
export interface KbChunk {
  source: string;
  ordinal: number;
  /** The section it comes from ("Vacation > Carry-over"), or "" before the first heading. */
  heading: string;
  body: string;
}

export interface KbMatch extends KbChunk {
  /** Sum over matched terms of match strength × rarity among the candidates; only comparable within one search. */
  score: number;
  /** How many of the query's terms this chunk matched. */
  matched: number;
  /** The chunk came from the search's `given` chunks (a conversation's attachments), not the table. */
  given: boolean;
}

export interface KbDocument {
  source: string;
  chunks: number;
  ingestedAt: string;
}

export interface KbSearchOptions {
  limit: number;
  /** Chunks ranked together with the stored ones without being stored (a turn's attachments). */
  given?: readonly KbChunk[];
  /** Candidates re-ranked with the query's word similarity (default 50). */
  rerank?: number;
}

/** `%`, `_` and `\` are LIKE's own; the term is a literal substring. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * How a term counts as present. A Latin or numeric term must start a word (`\m`): "day" finds "days" but
 * "days" does not find "holidays". A Korean term may sit anywhere in a word: compounds glue nouns
 * together ("비밀유지계약서" has "계약서") and particles follow the stem.
 */
function presence(term: string): string {
  const literal = term.replace(/[\\^$.*+?()[\]{}|]/g, (char) => `\\${char}`);
  return /^[\uac00-\ud7a3]/.test(term) ? literal : `\\m${literal}`;
}

/**
 * The knowledge base's chunks (`octo_kb_chunks`) and their trigram search, on Postgres and PGlite alike.
 * A document is replaced as a whole, so ingesting a file twice leaves one copy.
 */
export class KnowledgeStore {
  constructor(private readonly db: Database) {}

  /** Replaces every chunk of `source` by `chunks` in one transaction; resolves with how many were removed. */
  async replaceDocument(source: string, chunks: readonly Omit<KbChunk, "source">[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const removed = await tx.query("DELETE FROM octo_kb_chunks WHERE source = $1", [source]);
      if (chunks.length > 0)
        await tx.query(
          `INSERT INTO octo_kb_chunks (source, ordinal, heading, body)
           SELECT $1, c.ordinal, c.heading, c.body
           FROM unnest($2::int[], $3::text[], $4::text[]) AS c(ordinal, heading, body)`,
          [
            source,
            chunks.map((chunk) => chunk.ordinal),
            chunks.map((chunk) => chunk.heading),
            chunks.map((chunk) => chunk.body),
          ],
        );
      return removed.rowCount;
    });
  }

  async removeDocument(source: string): Promise<number> {
    const { rowCount } = await this.db.query("DELETE FROM octo_kb_chunks WHERE source = $1", [source]);
    return rowCount;
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: string | number }>("SELECT count(*) AS n FROM octo_kb_chunks");
    return Number(rows[0]?.n ?? 0);
  }

  async documents(): Promise<KbDocument[]> {
    const { rows } = await this.db.query<{ source: string; chunks: string | number; at: Date | string }>(
      `SELECT source, count(*) AS chunks, max(created_at) AS at
       FROM octo_kb_chunks GROUP BY source ORDER BY source`,
    );
    return rows.map((row) => ({
      source: row.source,
      chunks: Number(row.chunks),
      ingestedAt: new Date(row.at).toISOString(),
    }));
  }

  /**
   * The chunks best matching `terms`, best first. A term matches a chunk when it is in it (a Korean
   * stem anywhere, "계약서" inside "계약서를"; a Latin stem at a word start, "approval" in "approvals").
   * Candidates come through the GIN trigram index, one ILIKE per term; each matched term counts 1 (plus a
   * little per further occurrence, plus half when the section's heading has it), weighted by how rare it
   * is among the candidates, so "NDA" outweighs "policy". The best 50 are then re-ranked with the word
   * similarity of the whole query, which favours chunks where the words stand together or in near
   * forms; plain `similarity()` is useless here, a short query against a long chunk scores near zero.
   * Word similarity is computed for those 50 only: on every candidate it cost seconds at 10,000 chunks.
   */
  async search(terms: readonly string[], options: KbSearchOptions): Promise<KbMatch[]> {
    const wanted = [...new Set(terms.map((term) => term.trim().toLowerCase()).filter(Boolean))];
    if (wanted.length === 0 || options.limit <= 0) return [];
    const given = options.given ?? [];
    const params: unknown[] = [
      wanted,
      wanted.map(likePattern),
      wanted.map(presence),
      wanted.join(" "),
      options.limit,
      given.map((chunk) => chunk.source),
      given.map((chunk) => chunk.ordinal),
      given.map((chunk) => chunk.heading),
      given.map((chunk) => chunk.body),
      options.rerank ?? 50,
    ];
    // One indexable condition per term, each with its own parameter, so the planner can OR index scans.
    const patterns = wanted.map((term) => {
      params.push(likePattern(term));
      return `$${params.length}`;
    });
    const matching = (column: string) => patterns.map((p) => `${column} ILIKE ${p}`).join(" OR ");
    const { rows } = await this.db.query<{
      source: string;
      ordinal: number;
      heading: string;
      body: string;
      given: boolean;
      score: number | string;
      matched: number | string;
    }>(
      `WITH terms AS (
         SELECT t.term, t.pattern, t.presence, t.n
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(term, pattern, presence, n)
       ),
       candidates AS MATERIALIZED (
         SELECT row_number() OVER () AS cid, c.* FROM (
           SELECT source, ordinal, heading, body, false AS given FROM octo_kb_chunks WHERE ${matching("body")}
           UNION ALL
           SELECT g.source, g.ordinal, g.heading, g.body, true
           FROM unnest($6::text[], $7::int[], $8::text[], $9::text[]) AS g(source, ordinal, heading, body)
           WHERE ${matching("g.body")}
         ) c
       ),
       hits AS (
         SELECT c.cid, t.n,
                1 + 0.5 * ln(greatest(1, (length(c.body) - length(replace(lower(c.body), t.term, '')))
                                         / length(t.term)))
                + CASE WHEN c.heading ILIKE t.pattern THEN 0.5 ELSE 0 END AS strength
         FROM candidates c JOIN terms t ON c.body ~* t.presence
       ),
       rarity AS (
         SELECT n, ln(1 + (SELECT count(*) FROM candidates)::float8 / count(*)) AS weight FROM hits GROUP BY n
       ),
       ranked AS (
         SELECT h.cid, sum(h.strength * r.weight) AS score, count(*) AS matched
         FROM hits h JOIN rarity r USING (n)
         GROUP BY h.cid ORDER BY score DESC, matched DESC LIMIT $10
       )
       SELECT c.source, c.ordinal, c.heading, c.body, c.given, r.matched,
              r.score + word_similarity($4, c.body) AS score
       FROM ranked r JOIN candidates c USING (cid)
       ORDER BY score DESC, r.matched DESC, length(c.body), c.source, c.ordinal
       LIMIT $5`,
      params,
    );
    return rows.map((row) => ({
      source: row.source,
      ordinal: Number(row.ordinal),
      heading: row.heading,
      body: row.body,
      given: row.given,
      score: Number(row.score),
      matched: Number(row.matched),
    }));
  }
}
