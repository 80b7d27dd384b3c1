import { createHash } from "node:crypto";
import pg from "pg";

/**
 * The statements the graphile-worker queue runs itself, on graphile-worker 0.17.3's schema (pinned in
 * package.json). Adding and fetching jobs go through graphile (`add_job`, its worker pool); finishing
 * them is ours, because graphile's own finish paths either retry with exponential backoff
 * (`failJobs`) or delete by id without checking who holds the job (`completeJobs`). The statements
 * below follow the shape of graphile's `completeJobs`/`returnJobs` (delete or unlock the job, unlock
 * its queue) with ownership checked, so that graphile's own completion afterwards finds nothing to do.
 */

/** The one graphile task every job runs as; our `kind` travels in the payload. */
export const TASK_IDENTIFIER = "octo_job";

/**
 * Graphile gives up on a job after `max_attempts` (25 by default) and keeps it forever. Our jobs are
 * never retried after a handler error (they are deleted), so attempts only grow when a worker dies or
 * stops; the handler sees `attempt` and decides what to tell people. Hence the column's maximum.
 */
export const MAX_ATTEMPTS = 32_767;

/**
 * Graphile takes the lowest priority first. A job carried on after a stop or a crash goes before its
 * thread's `first` jobs too, even those added after it was cut short: it was already running.
 */
export const PRIORITY = { carriedOn: -2, first: -1, normal: 0 } as const;

/** Graphile's column limits (`job_queues.queue_name`, `jobs.key`); longer values are hashed. */
const QUEUE_NAME_MAX = 128;
const JOB_KEY_MAX = 512;

export function queueName(threadKey: string): string {
  return fitted(threadKey, QUEUE_NAME_MAX);
}

export function jobKey(dedupeKey: string): string {
  return fitted(dedupeKey, JOB_KEY_MAX);
}

function fitted(value: string, max: number): string {
  if (value.length <= max) return value;
  const digest = createHash("sha256").update(value).digest("hex");
  return `${value.slice(0, max - digest.length - 1)}#${digest}`;
}

/** Graphile's LISTEN channel; its payload carries a random part so Postgres does not fold notices. */
export function newJobNotice(): string {
  return JSON.stringify({ r: Math.random(), count: 1 });
}

export function workerSchemaFor(schema: string): string {
  return `${schema}_worker`;
}

export function graphileSql(workerSchema: string) {
  const ws = pg.escapeIdentifier(workerSchema);
  return {
    /**
     * `unsafe_dedupe` is graphile's only job-key mode that adds nothing while a job with the key exists,
     * waiting or running; `replace` would rewrite a waiting job and, for a running one, strip its key
     * and add a second job (a start-up takeover would then run a person's request twice). The existing
     * job comes back with its revision bumped, which is how a no-op is told from an insert.
     *
     * `run_at` is the statement's clock, not the transaction's `now()`: graphile orders a queue by
     * (priority, run_at) with no tie-break on id, and jobs added in one transaction would otherwise tie.
     */
    enqueue: `SELECT id::text AS id, revision FROM ${ws}.add_job(
        identifier => $1::text,
        payload => $2::json,
        queue_name => $3::text,
        run_at => clock_timestamp(),
        max_attempts => ${MAX_ATTEMPTS},
        job_key => $4::text,
        priority => $5::int,
        job_key_mode => 'unsafe_dedupe')`,

    depth: `SELECT count(*)::int AS n FROM ${ws}.jobs
      WHERE queue_name = $1 AND (locked_at IS NOT NULL OR attempts < max_attempts)`,

    backlog: `SELECT count(*)::int AS n FROM ${ws}.jobs
      WHERE locked_at IS NOT NULL OR attempts < max_attempts`,

    /**
     * Graphile keeps a thread's named queue row after its last job; a forgotten or pruned thread's
     * goes, unless a job still names it (the thread came back meanwhile).
     */
    discardQueue: `DELETE FROM ${ws}._private_job_queues AS q
      WHERE q.queue_name = $1 AND q.locked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM ${ws}._private_jobs AS j WHERE j.job_queue_id = q.id)`,

    /**
     * Removes a job this worker holds (same worker, same attempt) and unlocks its queue in one
     * statement. `more` says whether the thread has another job ready, so idle workers get a notice
     * instead of waiting for their next poll.
     */
    finish: `WITH gone AS (
        DELETE FROM ${ws}._private_jobs
        WHERE id = $1::bigint AND locked_by = $2::text AND attempts = $3::int
        RETURNING job_queue_id
      ), unlocked AS (
        UPDATE ${ws}._private_job_queues AS q SET locked_by = NULL, locked_at = NULL
        FROM gone WHERE q.id = gone.job_queue_id AND q.locked_by = $2::text
      )
      SELECT count(*)::int AS removed, coalesce(bool_or(EXISTS (
        SELECT 1 FROM ${ws}._private_jobs AS w
        WHERE w.job_queue_id = gone.job_queue_id AND w.id <> $1::bigint AND w.is_available
      )), false) AS more
      FROM gone`,

    /** Step 1 of a release: take the key off the held job so its copy can carry it. */
    releaseClaim: `UPDATE ${ws}._private_jobs SET key = NULL
      WHERE id = $1::bigint AND locked_by = $2::text AND attempts = $3::int
      RETURNING key`,

    /**
     * Step 2 of a release: replace the job with a copy at the head of its queue (`carriedOn` priority,
     * its own run_at), keeping its attempts so the next run counts as a further attempt, then unlock
     * the queue. A copy rather than the unlocked original because graphile, once our task returns,
     * deletes the job's id without checking who holds it: the copy's new id makes that a no-op.
     */
    releaseCopy: `WITH orig AS (
        DELETE FROM ${ws}._private_jobs WHERE id = $1::bigint RETURNING *
      ), copy AS (
        INSERT INTO ${ws}._private_jobs
          (job_queue_id, task_id, payload, priority, run_at, attempts, max_attempts, key, flags)
        SELECT orig.job_queue_id, orig.task_id, $3::json, least(orig.priority, ${PRIORITY.carriedOn}),
          orig.run_at, orig.attempts, orig.max_attempts, $4::text, orig.flags
        FROM orig
        RETURNING id
      ), unlocked AS (
        UPDATE ${ws}._private_job_queues AS q SET locked_by = NULL, locked_at = NULL
        FROM orig WHERE q.id = orig.job_queue_id AND q.locked_by = $2::text
      )
      SELECT id::text AS id FROM copy`,

    /** The worker ids holding our jobs or queues, other than `$1`. */
    holders: `SELECT j.locked_by AS worker_id FROM ${ws}._private_jobs AS j
        JOIN ${ws}._private_tasks AS t ON t.id = j.task_id
        WHERE j.locked_by IS NOT NULL AND j.locked_by <> $1::text AND t.identifier = '${TASK_IDENTIFIER}'
      UNION
      SELECT q.locked_by FROM ${ws}._private_job_queues AS q
        WHERE q.locked_by IS NOT NULL AND q.locked_by <> $1::text`,

    /**
     * The jobs of a dead worker go back at the head of their queues (`carriedOn` priority) with their
     * attempts kept (the next run counts one more); then graphile's own `force_unlock_workers` frees
     * them and their queues. Another sweeper doing the same at once waits on the row locks, then finds
     * nothing left.
     */
    reclaimHead: `UPDATE ${ws}._private_jobs SET priority = least(priority, ${PRIORITY.carriedOn})
      WHERE locked_by = $1::text
      RETURNING id`,
    reclaimUnlock: `SELECT ${ws}.force_unlock_workers(ARRAY[$1::text])`,

    notify: "SELECT pg_notify('jobs:insert', $1::text)",
  };
}
