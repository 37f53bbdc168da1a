import { PostgresQueryError, StorageError, StudyExistsError, StudyNotFoundError } from '../../errors.js';
import type { StudyId } from '../../trial/frozen-trial.js';
import type { Direction } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import type { StudySummary } from '../storage.js';
import { attrsFromRows, attrToJson, checkDbText, dbTextProblem, directionFromDb, directionToDb } from './codec.js';
import type { Database } from './connection.js';

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

type StudyAttrTable = 'study_user_attributes' | 'study_system_attributes';

/** The study-level rows of Optuna's schema: studies, their directions and attributes. */
export class StudyRows {
  readonly #db: Database;
  readonly #url: string;

  constructor(db: Database, url: string) {
    this.#db = db;
    this.#url = url;
  }

  async create(name: string, directions: readonly Direction[]): Promise<StudyId> {
    checkDbText('the study name', name);
    try {
      return await this.#db.transaction('creating a study', async (client, attempt) => {
        try {
          const result = await client.query<{ study_id: number }>(
            `WITH s AS (INSERT INTO studies (study_name) VALUES ($1) RETURNING study_id),
             d AS (INSERT INTO study_directions (direction, study_id, objective)
                   SELECT dir::studydirection, s.study_id, o - 1 FROM s, unnest($2::text[]) WITH ORDINALITY AS x(dir, o))
             SELECT study_id FROM s`,
            [name, directions.map(directionToDb)],
          );
          return result.rows[0]?.study_id as StudyId;
        } catch (error) {
          // On a retry, the study may be the one our first attempt made before its reply was lost.
          if ((error as { code?: string }).code === UNIQUE_VIOLATION && attempt.retry) return await this.idByName(name);
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof PostgresQueryError && error.sqlState === UNIQUE_VIOLATION) throw new StudyExistsError(name, this.#url);
      throw error;
    }
  }

  async idByName(name: string): Promise<StudyId> {
    // No study can have a name the column refuses: answer without a query that would fail raw.
    if (dbTextProblem(name) !== undefined) throw new StudyNotFoundError(name, this.#url);
    const result = await this.#db.query<{ study_id: number }>('reading a study', 'SELECT study_id FROM studies WHERE study_name = $1', [name]);
    const row = result.rows[0];
    if (row === undefined) throw new StudyNotFoundError(name, this.#url);
    return row.study_id as StudyId;
  }

  async name(studyId: StudyId): Promise<string> {
    const result = await this.#db.query<{ study_name: string }>('reading a study', 'SELECT study_name FROM studies WHERE study_id = $1', [studyId]);
    return this.require(studyId, result.rows[0]).study_name;
  }

  async directions(studyId: StudyId): Promise<readonly Direction[]> {
    const result = await this.#db.query<{ direction: string }>('reading a study', 'SELECT direction FROM study_directions WHERE study_id = $1 ORDER BY objective', [studyId]);
    if (result.rows.length === 0) this.require(studyId, undefined);
    return result.rows.map((r) => directionFromDb(r.direction));
  }

  async delete(studyId: StudyId): Promise<void> {
    await this.#db.transaction('deleting a study', async (client) => {
      const found = await client.query('SELECT 1 FROM studies WHERE study_id = $1 FOR UPDATE', [studyId]);
      this.require(studyId, found.rows[0]);
      const trials = 'SELECT trial_id FROM trials WHERE study_id = $1';
      for (const table of ['trial_params', 'trial_values', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes', 'trial_heartbeats']) {
        await client.query(`DELETE FROM ${table} WHERE trial_id IN (${trials})`, [studyId]);
      }
      for (const table of ['trials', 'study_directions', 'study_user_attributes', 'study_system_attributes', 'studies']) {
        await client.query(`DELETE FROM ${table} WHERE study_id = $1`, [studyId]);
      }
    });
  }

  async list(): Promise<readonly StudySummary[]> {
    const result = await this.#db.query<{ study_id: number; study_name: string; dirs: string[] | null; n: number; start: Date | null; uattrs: [string, string][] | null }>(
      'listing studies',
      `SELECT s.study_id, s.study_name,
         (SELECT json_agg(d.direction ORDER BY d.objective) FROM study_directions d WHERE d.study_id = s.study_id) AS dirs,
         (SELECT count(*) FROM trials t WHERE t.study_id = s.study_id)::int AS n,
         (SELECT min(t.datetime_start) FROM trials t WHERE t.study_id = s.study_id) AS start,
         (SELECT json_agg(json_build_array(a.key, a.value_json)) FROM study_user_attributes a WHERE a.study_id = s.study_id) AS uattrs
       FROM studies s ORDER BY s.study_id`,
    );
    return result.rows.map((r) => ({
      studyId: r.study_id as StudyId,
      name: r.study_name,
      directions: (r.dirs ?? []).map(directionFromDb),
      nTrials: r.n,
      userAttrs: attrsFromRows(r.uattrs),
      datetimeStart: r.start ?? undefined,
    }));
  }

  async setAttr(table: StudyAttrTable, studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    checkDbText('the study attribute key', key);
    try {
      await this.#db.query(
        'setting a study attribute',
        `INSERT INTO ${table} (study_id, key, value_json) VALUES ($1, $2, $3) ON CONFLICT (study_id, key) DO UPDATE SET value_json = excluded.value_json`,
        [studyId, key, attrToJson(value)],
      );
    } catch (error) {
      if (error instanceof PostgresQueryError && error.sqlState === FOREIGN_KEY_VIOLATION) this.require(studyId, undefined);
      throw error;
    }
  }

  async attrs(table: StudyAttrTable, studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>> {
    const result = await this.#db.query<{ key: string; value_json: string }>('reading study attributes', `SELECT key, value_json FROM ${table} WHERE study_id = $1`, [studyId]);
    if (result.rows.length === 0) await this.name(studyId);
    return attrsFromRows(result.rows.map((r) => [r.key, r.value_json] as const));
  }

  /** The row read for a study, or a StorageError saying the study is gone. */
  require<T>(studyId: StudyId, row: T | undefined): T {
    if (row === undefined) throw new StorageError(`study id ${studyId} does not exist in ${this.#url} (was it deleted?)`);
    return row;
  }
}
