import type { z } from "zod";
import type { Logger } from "../log.js";
import type { Queryable } from "../store/database.js";
import { deleteInBatches } from "../store/retention.js";
import { jsonSchemaOf, sha256 } from "./structured.js";
import type { LlmCallOptions, LlmClient, LlmMessage, LlmReadiness, StructuredCallOptions } from "./types.js";

/**
 * A response cache in the project database (Postgres or PGlite), so it survives restarts and is
 * shared by replicas. The key covers everything that shapes an answer: provider, model, messages,
 * the schema, temperature and token limit. A broken cache never breaks a call: failures are logged
 * and the model is asked instead.
 */
export class LlmCacheStore {
  private lastPrune = 0;

  constructor(
    private readonly db: Queryable,
    private readonly ttlSeconds: number,
    /** Expired rows are removed at most this often, piggy-backing on writes. */
    private readonly pruneEveryMs = 10 * 60_000,
  ) {}

  /** The live entry for `key`, counting the hit in the same statement. */
  async get(key: string): Promise<unknown | undefined> {
    const { rows } = await this.db.query<{ response: { value: unknown } }>(
      `UPDATE octo_llm_cache SET hits = hits + 1, last_hit_at = now()
       WHERE cache_key = $1 AND expires_at > now()
       RETURNING response`,
      [key],
    );
    return rows[0]?.response.value;
  }

  async put(key: string, entry: { provider: string; model: string; purpose: string; value: unknown }) {
    await this.db.query(
      `INSERT INTO octo_llm_cache (cache_key, provider, model, purpose, response, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))
       ON CONFLICT (cache_key) DO UPDATE
         SET response = EXCLUDED.response, created_at = now(), expires_at = EXCLUDED.expires_at,
             hits = 0, last_hit_at = NULL`,
      [
        key,
        entry.provider,
        entry.model,
        entry.purpose,
        JSON.stringify({ value: entry.value }),
        this.ttlSeconds,
      ],
    );
    if (Date.now() - this.lastPrune >= this.pruneEveryMs) {
      this.lastPrune = Date.now();
      await this.prune();
    }
  }

  /** Deletes expired entries, a batch per statement so writers never wait long; returns how many. */
  prune(): Promise<number> {
    return deleteInBatches(this.db, "octo_llm_cache", "expires_at <= now()", [], PRUNE_BATCH);
  }

  async stats(): Promise<{ entries: number; hits: number }> {
    const { rows } = await this.db.query<{ entries: number; hits: number }>(
      "SELECT count(*)::int AS entries, coalesce(sum(hits), 0)::int AS hits FROM octo_llm_cache WHERE expires_at > now()",
    );
    return rows[0] ?? { entries: 0, hits: 0 };
  }
}

const PRUNE_BATCH = 1_000;

export function cacheKey(parts: {
  provider: string;
  model: string;
  kind: "chat" | "structured";
  messages: LlmMessage[];
  schemaHash?: string | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  /** Both shape a primed local model's prompt (LlmCallOptions). */
  locale?: string | undefined;
  fewShot?: boolean | undefined;
}): string {
  return sha256(
    JSON.stringify([
      1,
      parts.provider,
      parts.model,
      parts.kind,
      parts.messages.map((m) => [m.role, m.content]),
      parts.schemaHash ?? null,
      parts.temperature ?? null,
      parts.maxTokens ?? null,
      parts.locale ?? null,
      parts.fewShot ?? null,
    ]),
  );
}

export class CachedLlm implements LlmClient {
  readonly provider: string;
  readonly model: string;

  constructor(
    private readonly inner: LlmClient,
    private readonly store: LlmCacheStore,
    private readonly logger?: Logger,
  ) {
    this.provider = inner.provider;
    this.model = inner.model;
  }

  async chat(messages: LlmMessage[], options: LlmCallOptions): Promise<string> {
    const key = this.key("chat", messages, options, undefined);
    const started = Date.now();
    const hit = await this.lookup(key);
    if (typeof hit === "string") {
      this.reportHit(options, started);
      options.onToken?.(hit);
      return hit;
    }
    const value = await this.inner.chat(messages, options);
    await this.save(key, options, value);
    return value;
  }

  async structured<S extends z.ZodType>(
    messages: LlmMessage[],
    schema: S,
    options: StructuredCallOptions,
  ): Promise<z.infer<S>> {
    const key = this.key("structured", messages, options, jsonSchemaOf(schema).hash);
    const started = Date.now();
    const hit = await this.lookup(key);
    if (hit !== undefined) {
      // Re-validated: a value cached before a refinement changed (same JSON Schema) must not slip through.
      const parsed = schema.safeParse(hit);
      if (parsed.success) {
        this.reportHit(options, started);
        return parsed.data;
      }
    }
    const value = await this.inner.structured(messages, schema, options);
    await this.save(key, options, value);
    return value;
  }

  readiness(): LlmReadiness {
    return this.inner.readiness?.() ?? { ready: true };
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  private key(
    kind: "chat" | "structured",
    messages: LlmMessage[],
    options: LlmCallOptions,
    schemaHash: string | undefined,
  ) {
    return cacheKey({
      provider: this.provider,
      model: this.model,
      kind,
      messages,
      schemaHash,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      locale: options.locale,
      fewShot: options.fewShot,
    });
  }

  private async lookup(key: string): Promise<unknown | undefined> {
    try {
      return await this.store.get(key);
    } catch (error) {
      this.logger?.warn({ err: error }, "llm cache read failed; asking the model");
      return undefined;
    }
  }

  private async save(key: string, options: LlmCallOptions, value: unknown): Promise<void> {
    try {
      await this.store.put(key, {
        provider: this.provider,
        model: this.model,
        purpose: options.purpose,
        value,
      });
    } catch (error) {
      this.logger?.warn({ err: error }, "llm cache write failed");
    }
  }

  private reportHit(options: LlmCallOptions, started: number): void {
    options.onUsage?.({
      provider: this.provider,
      model: this.model,
      purpose: options.purpose,
      inputTokens: 0,
      outputTokens: 0,
      latencyMs: Date.now() - started,
      cached: true,
    });
  }
}
