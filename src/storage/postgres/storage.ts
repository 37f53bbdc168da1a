import { inspect } from 'node:util';
import { PostgresQueryError, StorageError, TrialNotFoundError } from '../../errors.js';
import type { FrozenTrial, StudyId, TrialId } from '../../trial/frozen-trial.js';
import { isFinished, type Direction, type TrialState } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import type { Storage, StudySummary, TrialLimit, TrialPatch, TrialTemplate } from '../storage.js';
import { Database } from './connection.js';
import { FAIL_STALE, HeartbeatTicker } from './heartbeat.js';
import { ensureSchema } from './schema.js';
import { FOREIGN_KEY_VIOLATION, StudyRows } from './study-rows.js';
import { OPTUNA_FIXED_PARAMS, SELECT_TRIALS, rowToTrial, type TrialRow } from './trial-rows.js';
import { parsePostgresUrl, type PostgresPublicSettings } from './url.js';
import { TrialReadCache, type StudyTrials } from './trial-read-cache.js';
import { judgePatch, mergePatches, needsStateCheck, patchStatement, utcText } from './write-patch.js';
import { newTrialRecord, freezeRecord } from '../trial-record.js';

/** How recent a read must be for claimWaitingTrial to trust that nothing waits. */
const SKIP_CLAIM_MS = 250;


/**
 * Studies in PostgreSQL, shared by any number of processes on any number of machines, in
 * Optuna's own RDB schema. URL settings: see parsePostgresUrl (heartbeat, grace, retry, schema).
 */
export class PostgresStorage implements Storage {
  readonly url: string;
  readonly shared = true;
  readonly settings: PostgresPublicSettings;
  readonly #db: Database;
  readonly #ready: Promise<string>;
  readonly #heartbeat: HeartbeatTicker;
  readonly #studies: StudyRows;
  readonly #read = new TrialReadCache();
  /** Relaxed writes to the trials this process runs, repeated in their finishing patch. */
  readonly #unflushed = new Map<number, TrialPatch>();

  /** Prefer `await openPostgresStorage(url)`, which also reports a bad connection right away. */
  constructor(url: string) {
    const settings = parsePostgresUrl(url);
    const { pool: _pool, secret: _secret, ...visible } = settings;
    this.url = settings.publicUrl;
    this.settings = visible;
    this.#db = new Database(settings);
    this.#heartbeat = new HeartbeatTicker(this.#db, settings.heartbeatSeconds);
    this.#studies = new StudyRows(this.#db, settings.publicUrl);
    this.#ready = ensureSchema(this.#db, settings.schema, settings.publicUrl);
    this.#ready.catch(() => undefined);
  }

  /** The Optuna schema revision found (or created) in the database. */
  get schemaRevision(): Promise<string> {
    return this.#ready;
  }

  async createStudy(name: string, directions: readonly Direction[]): Promise<StudyId> {
    await this.#ready;
    return this.#studies.create(name, directions);
  }

  async getStudyIdByName(name: string): Promise<StudyId> {
    await this.#ready;
    return this.#studies.idByName(name);
  }

  async getStudyName(studyId: StudyId): Promise<string> {
    await this.#ready;
    return this.#studies.name(studyId);
  }

  async getStudyDirections(studyId: StudyId): Promise<readonly Direction[]> {
    await this.#ready;
    return this.#studies.directions(studyId);
  }

  async deleteStudy(studyId: StudyId): Promise<void> {
    await this.#ready;
    await this.#studies.delete(studyId);
    this.#read.drop(studyId);
  }

  async listStudies(): Promise<readonly StudySummary[]> {
    await this.#ready;
    return this.#studies.list();
  }

  setStudyUserAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    return this.#ready.then(() => this.#studies.setAttr('study_user_attributes', studyId, key, value));
  }

  setStudySystemAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    return this.#ready.then(() => this.#studies.setAttr('study_system_attributes', studyId, key, value));
  }

  getStudyUserAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>> {
    return this.#ready.then(() => this.#studies.attrs('study_user_attributes', studyId));
  }

  getStudySystemAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>> {
    return this.#ready.then(() => this.#studies.attrs('study_system_attributes', studyId));
  }

  async createTrial(studyId: StudyId, template: TrialTemplate): Promise<FrozenTrial> {
    await this.#ready;
    if (!Number.isInteger(studyId)) throw new StorageError(`study id ${String(studyId)} is not a study id of ${this.url}`);
    const state = template.state === 'WAITING' ? 'WAITING' : 'RUNNING';
    // Python Optuna workers sharing the study read an enqueued trial's params as `fixed_params`.
    const fixed = template.systemAttrs?.['fixedParams'];
    const systemAttrs = fixed === undefined ? template.systemAttrs : { ...template.systemAttrs, [OPTUNA_FIXED_PARAMS]: fixed };
    const attrs = { ...(template.userAttrs && { userAttrs: template.userAttrs }), ...(systemAttrs && { systemAttrs }) };
    const start = template.datetimeStart === undefined ? (state === 'RUNNING' ? 'LOCALTIMESTAMP' : 'NULL') : `'${utcText(template.datetimeStart)}'::timestamp`;
    // Optuna's own lock (it also locks the study row): creations in a study take turns, so
    // numbers are gap-free. It is a statement of its own, so that the INSERT's snapshot, taken
    // after the lock is granted, includes the trial of whoever held the lock before. Both go in
    // one round trip (only integers and fixed keywords are inlined).
    const insert = `SELECT 1 FROM studies WHERE study_id = ${studyId} FOR UPDATE;
       WITH t AS (
         INSERT INTO trials (number, study_id, state, datetime_start)
         SELECT COALESCE(max(number) + 1, 0), ${studyId}, '${state}', ${start} FROM trials WHERE study_id = ${studyId}
         RETURNING trial_id, number, datetime_start),
       h AS (INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, LOCALTIMESTAMP FROM t WHERE '${state}' = 'RUNNING')
       SELECT trial_id, number, datetime_start FROM t;`;
    type Row = { trial_id: number; number: number; datetime_start: Date | null };
    let row: Row;
    try {
      if (attrs.userAttrs === undefined && attrs.systemAttrs === undefined) {
        row = (await this.#db.script<Row>('creating a trial', insert))[0] as Row;
      } else {
        // With attributes (enqueued trials, imports): the same two statements and the attribute
        // writes in one transaction, so a trial never exists without them.
        row = await this.#db.transaction('creating a trial', async (client) => {
          const results = (await client.query(insert)) as unknown as { rows: Row[] }[];
          const created = results[results.length - 1]?.rows[0] as Row;
          const s = patchStatement(created.trial_id, attrs);
          await client.query(s.text, s.values);
          return created;
        });
      }
    } catch (error) {
      if (error instanceof PostgresQueryError && error.sqlState === FOREIGN_KEY_VIOLATION) this.#studies.require(studyId, undefined);
      throw error;
    }
    const record = newTrialRecord(row.trial_id as TrialId, row.number, state, row.datetime_start?.getTime() ?? Date.now());
    record.datetimeStart = row.datetime_start?.getTime();
    Object.assign(record.userAttrs, structuredClone(template.userAttrs ?? {}));
    Object.assign(record.systemAttrs, structuredClone(systemAttrs ?? {}));
    if (state === 'RUNNING') this.#startRunning(row.trial_id);
    else this.#read.of(studyId).sawWaiting = true;
    return freezeRecord(record);
  }

  async claimWaitingTrial(studyId: StudyId): Promise<FrozenTrial | undefined> {
    await this.#ready;
    // Study.ask reads the trials just before it claims: if none was WAITING a moment ago, skip
    // the round trip (a trial enqueued since then is claimed at the next ask).
    const cache = this.#read.of(studyId);
    if (!cache.sawWaiting && Date.now() - cache.readAt < SKIP_CLAIM_MS) return undefined;
    // SKIP LOCKED: workers claiming at once each take a different WAITING trial, never the same.
    // The final SELECT sees the row as it was before the UPDATE; state and start are set below.
    const result = await this.#db.query<TrialRow>(
      'claiming a waiting trial',
      `WITH claimed AS (
         UPDATE trials SET state = 'RUNNING', datetime_start = COALESCE(datetime_start, LOCALTIMESTAMP)
         WHERE trial_id = (SELECT trial_id FROM trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING trial_id, datetime_start AS started),
       beat AS (
         INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, LOCALTIMESTAMP FROM claimed
         ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat)
       ${SELECT_TRIALS.replace('t.datetime_start', '(SELECT started FROM claimed) AS datetime_start')} WHERE t.trial_id IN (SELECT trial_id FROM claimed)`,
      [studyId],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    this.#startRunning(row.trial_id);
    return rowToTrial({ ...row, state: 'RUNNING' });
  }

  /**
   * Counts and starts under the study row's lock (SELECT ... FOR UPDATE, as createTrial takes
   * it), in one transaction: a worker that counts waits for any other worker between its own
   * count and start, so however many race for the last trials, the study ends with exactly
   * `limit.total`. Each statement after the lock sees what the previous holder committed.
   */
  async startTrialWithin(studyId: StudyId, limit: TrialLimit): Promise<FrozenTrial | undefined> {
    await this.#ready;
    if (!Number.isInteger(studyId)) throw new StorageError(`study id ${String(studyId)} is not a study id of ${this.url}`);
    const row = await this.#db.transaction('starting a trial within the study\'s total', async (client) => {
      const locked = await client.query('SELECT 1 FROM studies WHERE study_id = $1 FOR UPDATE', [studyId]);
      if (locked.rowCount === 0) this.#studies.require(studyId, undefined);
      const count = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM trials WHERE study_id = $1 AND state = ANY($2::trialstate[])', [studyId, [...limit.states]]);
      if ((count.rows[0]?.n ?? 0) >= limit.total) return undefined;
      const claimed = await client.query<{ trial_id: number }>(
        `UPDATE trials SET state = 'RUNNING', datetime_start = COALESCE(datetime_start, LOCALTIMESTAMP)
         WHERE trial_id = (SELECT trial_id FROM trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING trial_id`,
        [studyId],
      );
      let trialId = claimed.rows[0]?.trial_id;
      if (trialId === undefined) {
        const created = await client.query<{ trial_id: number }>(
          `INSERT INTO trials (number, study_id, state, datetime_start)
           SELECT COALESCE(max(number) + 1, 0), $1, 'RUNNING', LOCALTIMESTAMP FROM trials WHERE study_id = $1 RETURNING trial_id`,
          [studyId],
        );
        trialId = created.rows[0]?.trial_id as number;
      }
      await client.query(
        'INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES ($1, LOCALTIMESTAMP) ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat',
        [trialId],
      );
      return (await client.query<TrialRow>(`${SELECT_TRIALS} WHERE t.trial_id = $1`, [trialId])).rows[0];
    });
    if (row === undefined) return undefined;
    this.#startRunning(row.trial_id);
    return rowToTrial(row);
  }

  /**
   * One statement per patch. Patches to a trial this process runs that do not finish it
   * (suggested params, reports, attributes) commit without waiting for the disk; the storage
   * keeps them and repeats them in the finishing patch, whose durable commit then covers them
   * even if the server crashed in between. Heartbeat and retry rules are in the class comment.
   */
  async updateTrial(trialId: TrialId, patch: TrialPatch): Promise<void> {
    await this.#ready;
    const finishing = patch.state !== undefined && isFinished(patch.state);
    const relaxed = !needsStateCheck(patch) && this.#unflushed.has(trialId);
    const full = finishing ? mergePatches(this.#unflushed.get(trialId), patch) : patch;
    const statement = patchStatement(trialId, full);
    try {
      const { result } = await this.#db.queryAttempt<{ number: number; state: TrialState }>('updating a trial', statement.text, statement.values, { relaxed });
      if (needsStateCheck(patch)) judgePatch(trialId, patch, result.rows[0]);
    } catch (error) {
      if (error instanceof PostgresQueryError && error.sqlState === FOREIGN_KEY_VIOLATION) throw new TrialNotFoundError(`with id ${trialId} in ${this.url}`);
      throw error;
    } finally {
      if (finishing) {
        this.#heartbeat.remove(trialId);
        this.#unflushed.delete(trialId);
      }
    }
    if (relaxed) this.#unflushed.set(trialId, mergePatches(this.#unflushed.get(trialId), patch));
    this.#read.forget(trialId);
  }

  async getTrial(trialId: TrialId): Promise<FrozenTrial> {
    await this.#ready;
    const result = await this.#db.query<TrialRow>('reading a trial', `${SELECT_TRIALS} WHERE t.trial_id = $1`, [trialId]);
    const row = result.rows[0];
    if (row === undefined) throw new TrialNotFoundError(`with id ${trialId} in ${this.url}`);
    return rowToTrial(row);
  }

  async getAllTrials(studyId: StudyId, options?: { readonly states?: readonly TrialState[] }): Promise<readonly FrozenTrial[]> {
    await this.#ready;
    const cache = this.#read.of(studyId);
    await this.#failStale(studyId, cache);
    // Only trials new since the last read, and those that were unfinished then.
    const result = await this.#db.query<TrialRow>(
      'reading trials',
      // Written so each half uses the primary key: new ids are a short range at the end.
      `${SELECT_TRIALS} WHERE t.trial_id IN (SELECT trial_id FROM trials WHERE trial_id > $2 AND study_id = $1 UNION ALL SELECT unnest($3::int[]))`,
      [studyId, cache.maxTrialId, [...cache.live.keys()]],
    );
    if (cache.maxTrialId === 0 && result.rows.length === 0) await this.getStudyName(studyId);
    return this.#read.absorb(cache, result.rows.map(rowToTrial), options?.states);
  }

  /**
   * Fails RUNNING trials of the study whose heartbeat is older than the grace period and
   * returns them — each stale trial to exactly one caller — so that the caller can retry them.
   */
  async failStaleTrials(studyId: StudyId): Promise<readonly FrozenTrial[]> {
    await this.#ready;
    const cache = this.#read.of(studyId);
    await this.#failStale(studyId, cache);
    const stale = cache.stale;
    cache.stale = [];
    return stale;
  }

  /** Sends the heartbeats of this process's running trials now (they are also sent on a timer). */
  beat(): Promise<void> {
    return this.#heartbeat.beat();
  }

  async close(): Promise<void> {
    this.#heartbeat.stop();
    await this.#ready.catch(() => undefined);
    await this.#db.close();
  }

  [inspect.custom](): string {
    return `PostgresStorage(${this.url})`;
  }

  #startRunning(trialId: number): void {
    this.#heartbeat.add(trialId);
    this.#unflushed.set(trialId, {});
  }

  async #failStale(studyId: StudyId, cache: StudyTrials): Promise<void> {
    // At most a few times per grace period: the check is a query of its own.
    const now = Date.now();
    if (now - cache.lastStaleCheck < Math.min(1000, (this.settings.graceSeconds * 1000) / 4)) return;
    cache.lastStaleCheck = now;
    const result = await this.#db.query<{ trial_id: number }>('failing trials with lost heartbeats', FAIL_STALE, [studyId, this.settings.graceSeconds, this.#heartbeat.live]);
    if (result.rows.length === 0) return;
    const failed = await this.#db.query<TrialRow>('reading trials', `${SELECT_TRIALS} WHERE t.trial_id = ANY($1::int[]) ORDER BY t.number`, [result.rows.map((r) => r.trial_id)]);
    cache.stale.push(...failed.rows.map(rowToTrial));
  }


}
