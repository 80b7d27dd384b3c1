/**
 * The SQL surface every store module uses, identical on a Postgres server and on embedded PGlite,
 * so there is one dialect and one set of queries.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

/** The subset of `pg.Pool` that LangGraph's PostgresSaver needs. */
export interface PoolLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(): Promise<{
    query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
    /** `true` drops the connection instead of returning it (a server pool; PGlite keeps its only one). */
    release(destroy?: boolean): void;
  }>;
  end(): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: "postgres" | "pglite";
  /** Schema holding every table (ours and the checkpointer's). */
  readonly schema: string;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A pg-compatible pool for libraries that want one (the LangGraph checkpointer). */
  readonly pool: PoolLike;
  close(): Promise<void>;
}
