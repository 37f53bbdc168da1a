import type pg from 'pg';
import { StorageError } from '../../errors.js';
import type { Database } from './connection.js';

/**
 * The tables are Optuna's RDB schema (alembic revision v3.0.0.d, written by Optuna 3.0 and 3.1),
 * so Python Optuna and optuna-dashboard can open a study tunelab writes, and the reverse.
 * Optuna ≥ 3.2 asks for `optuna storage upgrade` once, which only adds an index (v3.2.0.a);
 * tunelab reads and writes both revisions.
 */
export const CREATED_REVISION = 'v3.0.0.d';
export const ACCEPTED_REVISIONS: readonly string[] = ['v3.0.0.d', 'v3.2.0.a'];

// Same tables, types, constraints and constraint names as SQLAlchemy creates for Optuna 3.1
// (checked against `pg_dump -s` of a schema Optuna made). `serial` = integer + owned sequence.
const CREATE = `
CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE');
CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING');
CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG');
CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN');
CREATE TABLE studies (study_id serial PRIMARY KEY, study_name varchar(512) NOT NULL);
CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
CREATE TABLE study_directions (
  study_direction_id serial PRIMARY KEY, direction studydirection NOT NULL,
  study_id integer NOT NULL REFERENCES studies (study_id), objective integer NOT NULL, UNIQUE (study_id, objective));
CREATE TABLE study_user_attributes (
  study_user_attribute_id serial PRIMARY KEY, study_id integer REFERENCES studies (study_id),
  key varchar(512), value_json text, UNIQUE (study_id, key));
CREATE TABLE study_system_attributes (
  study_system_attribute_id serial PRIMARY KEY, study_id integer REFERENCES studies (study_id),
  key varchar(512), value_json text, UNIQUE (study_id, key));
CREATE TABLE trials (
  trial_id serial PRIMARY KEY, number integer, study_id integer REFERENCES studies (study_id),
  state trialstate NOT NULL, datetime_start timestamp without time zone, datetime_complete timestamp without time zone);
CREATE INDEX ix_trials_study_id ON trials (study_id);
CREATE TABLE trial_user_attributes (
  trial_user_attribute_id serial PRIMARY KEY, trial_id integer REFERENCES trials (trial_id),
  key varchar(512), value_json text, UNIQUE (trial_id, key));
CREATE TABLE trial_system_attributes (
  trial_system_attribute_id serial PRIMARY KEY, trial_id integer REFERENCES trials (trial_id),
  key varchar(512), value_json text, UNIQUE (trial_id, key));
CREATE TABLE trial_params (
  param_id serial PRIMARY KEY, trial_id integer REFERENCES trials (trial_id),
  param_name varchar(512), param_value double precision, distribution_json text, UNIQUE (trial_id, param_name));
CREATE TABLE trial_values (
  trial_value_id serial PRIMARY KEY, trial_id integer NOT NULL REFERENCES trials (trial_id),
  objective integer NOT NULL, value double precision, value_type trialvaluetype NOT NULL, UNIQUE (trial_id, objective));
CREATE TABLE trial_intermediate_values (
  trial_intermediate_value_id serial PRIMARY KEY, trial_id integer NOT NULL REFERENCES trials (trial_id),
  step integer NOT NULL, intermediate_value double precision, intermediate_value_type trialintermediatevaluetype NOT NULL,
  UNIQUE (trial_id, step));
CREATE TABLE trial_heartbeats (
  trial_heartbeat_id serial PRIMARY KEY, trial_id integer NOT NULL REFERENCES trials (trial_id),
  heartbeat timestamp without time zone NOT NULL, UNIQUE (trial_id));
CREATE TABLE version_info (
  version_info_id integer PRIMARY KEY CHECK (version_info_id = 1), schema_version integer, library_version varchar(256));
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO version_info VALUES (1, 12, '3.1.0');
INSERT INTO alembic_version VALUES ('${CREATED_REVISION}');

`;

/**
 * tunelab's extra indexes (Optuna ignores them): the next trial number and the oldest WAITING
 * trial in O(log n), and the stale-heartbeat check over RUNNING trials only.
 */
const INDEXES = `
CREATE INDEX IF NOT EXISTS tunelab_trials_number ON trials (study_id, number);
CREATE INDEX IF NOT EXISTS tunelab_trials_waiting ON trials (study_id, number) WHERE state = 'WAITING';
CREATE INDEX IF NOT EXISTS tunelab_trials_running ON trials (study_id) WHERE state = 'RUNNING';
`;

// float32 max: what Optuna < 3.0.0.d wrote for ±inf objective values (np.isclose tolerance).
const F32_MAX = 3.4028234663852886e38;
const CLOSE = 1e-8 + 1e-5 * F32_MAX;

/**
 * Upgrades, one alembic revision each, that tunelab knows how to run. Each keeps every row:
 * v3.0.0.c → v3.0.0.d gives trial_values a value_type and turns Optuna's old ±float32-max
 * stand-ins for infinite values into real INF_POS / INF_NEG entries, as Optuna's own migration does.
 */
const UPGRADES: Readonly<Record<string, { readonly to: string; readonly sql: string }>> = {
  'v3.0.0.c': {
    to: 'v3.0.0.d',
    sql: `
DO $$ BEGIN
  CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
ALTER TABLE trial_values ADD COLUMN IF NOT EXISTS value_type trialvaluetype NOT NULL DEFAULT 'FINITE';
ALTER TABLE trial_values ALTER COLUMN value_type DROP DEFAULT;
ALTER TABLE trial_values ALTER COLUMN value DROP NOT NULL;
UPDATE trial_values SET value_type = 'INF_POS', value = NULL WHERE value > 1e16 AND (value = 'Infinity' OR abs(value - ${F32_MAX}) <= ${CLOSE});
UPDATE trial_values SET value_type = 'INF_NEG', value = NULL WHERE value < -1e16 AND (value = '-Infinity' OR abs(value + ${F32_MAX}) <= ${CLOSE});
UPDATE alembic_version SET version_num = 'v3.0.0.d';`,
  },
};

async function scalar(client: pg.PoolClient, text: string, values: unknown[] = []): Promise<unknown> {
  const result = await client.query(text, values);
  const row = result.rows[0] as Record<string, unknown> | undefined;
  return row === undefined ? undefined : Object.values(row)[0];
}

/**
 * Makes sure the schema holds Optuna's tables at a revision tunelab can use: creates them in
 * an empty schema, upgrades a known older revision, refuses anything else (never dropping data).
 * An advisory lock, held until the transaction ends, makes concurrent first starts take turns.
 */
export async function ensureSchema(db: Database, schema: string, publicUrl: string): Promise<string> {
  return db.transaction('setting up the tables', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tunelab-schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const hasAlembic = (await scalar(client, 'SELECT to_regclass($1) IS NOT NULL', [`"${schema}".alembic_version`])) === true;
    if (!hasAlembic) {
      if ((await scalar(client, 'SELECT to_regclass($1) IS NOT NULL', [`"${schema}".studies`])) === true) {
        throw new StorageError(
          `${publicUrl}: schema '${schema}' has a 'studies' table but no alembic_version: it was made by Optuna before 1.x or by another program. tunelab will not change it; use another ?schema= or upgrade it with \`optuna storage upgrade\`.`,
        );
      }
      await client.query(CREATE);
      await client.query(INDEXES);
      return CREATED_REVISION;
    }
    let revision = String(await scalar(client, 'SELECT version_num FROM alembic_version LIMIT 1'));
    for (let step = UPGRADES[revision]; step !== undefined; step = UPGRADES[revision]) {
      await client.query(step.sql);
      revision = step.to;
    }
    if (!ACCEPTED_REVISIONS.includes(revision)) {
      throw new StorageError(
        `${publicUrl}: schema '${schema}' is at Optuna schema revision ${revision}; tunelab reads ${ACCEPTED_REVISIONS.join(' and ')} and upgrades v3.0.0.c. ` +
          'Upgrade older ones with `optuna storage upgrade --storage URL`; for a newer one, update tunelab.',
      );
    }
    await client.query(INDEXES);
    return revision;
  });
}
