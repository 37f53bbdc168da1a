import type { Database } from './connection.js';

/**
 * Keeps the heartbeats of this process's RUNNING trials fresh: one UPDATE for all of them every
 * interval. A beat that fails (server restarting) is simply tried again at the next interval;
 * the grace period is several intervals long.
 */
export class HeartbeatTicker {
  readonly #db: Database;
  readonly #intervalMs: number;
  readonly #live = new Set<number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(db: Database, intervalSeconds: number) {
    this.#db = db;
    this.#intervalMs = intervalSeconds * 1000;
  }

  /** Trial ids this process is running (their heartbeats are ours to send). */
  get live(): readonly number[] {
    return [...this.#live];
  }

  add(trialId: number): void {
    this.#live.add(trialId);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.beat(), this.#intervalMs);
      // A trial's own work keeps the process alive; the heartbeat alone must not.
      this.#timer.unref();
    }
  }

  remove(trialId: number): void {
    this.#live.delete(trialId);
    if (this.#live.size === 0) this.stop();
  }

  async beat(): Promise<void> {
    if (this.#live.size === 0) return;
    await this.#db.tryQuery('UPDATE trial_heartbeats SET heartbeat = LOCALTIMESTAMP WHERE trial_id = ANY($1::int[])', [[...this.#live]]);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * Fails the study's RUNNING trials whose heartbeat is older than the grace period, except the
 * ones this process runs, recording systemAttrs.failReason = "heartbeat lost". Row locks make
 * each stale trial go to exactly one caller, however many workers look at once. Uses the
 * server's clock on both sides, so machines with skewed clocks agree.
 */
export const FAIL_STALE = `
WITH stale AS (
  UPDATE trials t SET state = 'FAIL', datetime_complete = LOCALTIMESTAMP
  FROM trial_heartbeats h
  WHERE h.trial_id = t.trial_id AND t.study_id = $1 AND t.state = 'RUNNING'
    AND h.heartbeat < LOCALTIMESTAMP - make_interval(secs => $2) AND NOT (t.trial_id = ANY($3::int[]))
  RETURNING t.trial_id),
reason AS (
  INSERT INTO trial_system_attributes (trial_id, key, value_json)
  SELECT trial_id, 'failReason', '"heartbeat lost"' FROM stale
  ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json)
SELECT trial_id FROM stale`;
