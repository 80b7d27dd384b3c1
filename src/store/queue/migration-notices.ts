import type pg from "pg";
import type { Logger } from "../../log.js";
import { errorMessage } from "../../vocabulary/index.js";

/**
 * graphile-worker's NOTIFY channels are database-wide, not per schema: a fresh graphile schema anywhere
 * in the database (another deployment's OCTO_PG_SCHEMA, a test, a benchmark) announces its migration 1,
 * which graphile counts as breaking, on `worker:migrate`, and every worker pool listening in the
 * database shuts down for good while its process stays up, taking no job again. A notice is passed on
 * to graphile only when our own schema has a migration newer than the ones it had when we migrated it,
 * which is what the notice is there for (a newer version migrating the schema under us).
 */
export const MIGRATE_CHANNEL = "worker:migrate";

export class MigrationNotices {
  private known: number | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly migrationsTable: string,
    private readonly logger: Logger,
  ) {}

  /** Records the schema's migration level; call right after migrating. */
  async baseline(): Promise<void> {
    this.known = await this.level();
  }

  /** Screens `worker:migrate` notices on a connection before graphile's listener sees them. */
  screen(client: pg.PoolClient): void {
    const emit = client.emit.bind(client);
    client.emit = (event: string | symbol, ...args: unknown[]): boolean => {
      const notice = args[0] as pg.Notification | undefined;
      if (event !== "notification" || notice?.channel !== MIGRATE_CHANNEL) return emit(event, ...args);
      void this.ours().then((ours) => {
        if (ours) emit(event, ...args);
        else this.logger.debug({ payload: notice.payload }, "another schema's graphile migration; ignored");
      });
      return true;
    };
  }

  /** Whether our schema moved past what it had at start; when that cannot be told, graphile decides. */
  private async ours(): Promise<boolean> {
    if (this.known === undefined) return true;
    try {
      return (await this.level()) > this.known;
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, "cannot read the queue's migration level");
      return true;
    }
  }

  private async level(): Promise<number> {
    const { rows } = await this.pool.query<{ id: number | null }>(
      `SELECT max(id)::int AS id FROM ${this.migrationsTable}`,
    );
    return rows[0]?.id ?? 0;
  }
}
