import { spawnSync } from 'node:child_process';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, StorageError, TrialFinishedError } from '../../src/errors.js';
import { PostgresStorage } from '../../src/storage/postgres/storage.js';
import { parsePostgresUrl } from '../../src/storage/postgres/url.js';
import { createStudy, loadStudy, RandomSampler } from '../../src/index.js';
import type { Distribution } from '../../src/trial/distributions.js';
import { dropSchema, freshSchemaName, postgresUnavailable, sql, urlFor } from './postgres-helpers.js';
import { requireOrSkip } from '../helpers/require.js';

const unavailable = await postgresUnavailable();
const python = spawnSync('/usr/bin/python3', ['-c', 'import optuna, psycopg2'], { encoding: 'utf8' });
const noOptuna = python.status === 0 ? undefined : 'Debian python3-optuna and python3-psycopg2 are not installed';

const schemas: string[] = [];
const opened: PostgresStorage[] = [];
function schema(): string {
  const s = freshSchemaName();
  schemas.push(s);
  return s;
}
async function open(url: string): Promise<PostgresStorage> {
  const s = new PostgresStorage(url);
  opened.push(s);
  await s.schemaRevision;
  return s;
}
afterAll(async () => {
  for (const s of opened) await s.close();
  for (const s of schemas) await dropSchema(s);
});

const X: Distribution = { kind: 'float', low: 0, high: 1, log: false, step: null };

describe('postgres URL settings (no server needed)', () => {
  it('takes settings from the URL, the rest from PG* variables, and keeps the password out of url and inspect', () => {
    const s = parsePostgresUrl('postgresql://ann:s3cr%40t@db.example:6543/hpo?heartbeat=2&grace=9&schema=lab', {});
    expect(s.pool).toMatchObject({ host: 'db.example', port: 6543, user: 'ann', password: 's3cr@t', database: 'hpo' });
    expect(s).toMatchObject({ heartbeatSeconds: 2, graceSeconds: 9, schema: 'lab', retrySeconds: 60 });
    expect(s.publicUrl).toBe('postgresql://ann@db.example:6543/hpo?heartbeat=2&grace=9&schema=lab');
    const env = parsePostgresUrl('postgres://', { PGHOST: 'pg.internal', PGPORT: '5433', PGUSER: 'bob', PGPASSWORD: 'pw-from-env', PGDATABASE: 'studies' });
    expect(env.pool).toMatchObject({ host: 'pg.internal', port: 5433, user: 'bob', password: 'pw-from-env', database: 'studies' });
    expect(env).toMatchObject({ heartbeatSeconds: 10, graceSeconds: 30, schema: 'public' });
    expect(env.publicUrl).not.toContain('pw-from-env');
    const storage = new PostgresStorage('postgres://ann:hunter2@127.0.0.1:1/x?retry=0');
    expect(storage.url).not.toContain('hunter2');
    expect(inspect(storage, { depth: 10, showHidden: true })).not.toContain('hunter2');
    expect(inspect(storage.settings, { depth: 10 })).not.toContain('hunter2');
    return storage.close();
  });

  it('refuses unknown settings and a grace period not longer than the heartbeat, naming the fix', () => {
    expect(() => parsePostgresUrl('postgres://u:pw@h/db?hartbeat=3', {})).toThrow(/unknown setting \?hartbeat=.*known settings/);
    expect(() => parsePostgresUrl('postgres://u:pw@h/db?heartbeat=10&grace=5', {})).toThrow(InvalidOptionError);
    expect(() => parsePostgresUrl('postgres://u:pw@h/db?heartbeat=10&grace=5', {})).toThrow(/grace \(5 s\) must be longer than heartbeat/);
    expect(() => parsePostgresUrl('postgres://u:pw@h/db?schema=a;drop', {})).toThrow(/schema/);
    // No try/catch: if parsing stopped throwing, these assertions fail instead of passing vacuously.
    expect(() => parsePostgresUrl('postgres://u:topsecret@h/db?grace=x', {})).toThrow(InvalidOptionError);
    expect(() => parsePostgresUrl('postgres://u:topsecret@h/db?grace=x', {})).toThrow(/\?grace=x is not a number of seconds >= 0\.1; e\.g\. \?grace=30/);
    const error = (() => {
      try {
        parsePostgresUrl('postgres://u:topsecret@h/db?grace=x', {});
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('topsecret');
  });

  it('keeps the password out of connection errors (server not listening)', async () => {
    const started = Date.now();
    const error = await createStudy({ name: 'x', storage: 'postgres://ann:hunter2@127.0.0.1:1/db?retry=0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/postgres:\/\/ann@127\.0\.0\.1:1\/db/);
    expect((error as Error).message).toMatch(/is PostgreSQL running/);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('hunter2');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe.skipIf(requireOrSkip(unavailable))('postgres storage', () => {
  it('keeps the password out of errors the server sends back', async () => {
    const url = `postgres://no_such_role_tl:hunter2@127.0.0.1:5432/test?retry=0&schema=${schema()}`;
    const error = await new PostgresStorage(url).schemaRevision.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/no_such_role_tl/);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('hunter2');
  });

  it('creates the tables once when many processes start at the same moment', async () => {
    const s = schema();
    const storages = await Promise.all(Array.from({ length: 6 }, () => open(urlFor(s))));
    expect(await Promise.all(storages.map((x) => x.schemaRevision))).toEqual(Array(6).fill('v3.0.0.d'));
    expect(await sql(`SELECT version_num FROM "${s}".alembic_version`)).toEqual([{ version_num: 'v3.0.0.d' }]);
    const id = await storages[0]!.createStudy('shared', ['minimize']);
    expect(await storages[5]!.getStudyIdByName('shared')).toBe(id);
  });

  it('upgrades a hand-made older schema (Optuna v3.0.0.c) without losing a row', async () => {
    const s = schema();
    // What Optuna 3.0.0.c left: trial_values without value_type, ±inf stored as ±float32 max.
    await sql(`CREATE SCHEMA "${s}"; SET search_path = "${s}";
      CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE');
      CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING');
      CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN');
      CREATE TABLE studies (study_id serial PRIMARY KEY, study_name varchar(512) NOT NULL UNIQUE);
      CREATE TABLE study_directions (study_direction_id serial PRIMARY KEY, direction studydirection NOT NULL, study_id integer NOT NULL REFERENCES studies, objective integer NOT NULL, UNIQUE (study_id, objective));
      CREATE TABLE study_user_attributes (study_user_attribute_id serial PRIMARY KEY, study_id integer REFERENCES studies, key varchar(512), value_json text, UNIQUE (study_id, key));
      CREATE TABLE study_system_attributes (study_system_attribute_id serial PRIMARY KEY, study_id integer REFERENCES studies, key varchar(512), value_json text, UNIQUE (study_id, key));
      CREATE TABLE trials (trial_id serial PRIMARY KEY, number integer, study_id integer REFERENCES studies, state trialstate NOT NULL, datetime_start timestamp, datetime_complete timestamp);
      CREATE TABLE trial_user_attributes (trial_user_attribute_id serial PRIMARY KEY, trial_id integer REFERENCES trials, key varchar(512), value_json text, UNIQUE (trial_id, key));
      CREATE TABLE trial_system_attributes (trial_system_attribute_id serial PRIMARY KEY, trial_id integer REFERENCES trials, key varchar(512), value_json text, UNIQUE (trial_id, key));
      CREATE TABLE trial_params (param_id serial PRIMARY KEY, trial_id integer REFERENCES trials, param_name varchar(512), param_value double precision, distribution_json text, UNIQUE (trial_id, param_name));
      CREATE TABLE trial_values (trial_value_id serial PRIMARY KEY, trial_id integer NOT NULL REFERENCES trials, objective integer NOT NULL, value double precision NOT NULL, UNIQUE (trial_id, objective));
      CREATE TABLE trial_intermediate_values (trial_intermediate_value_id serial PRIMARY KEY, trial_id integer NOT NULL REFERENCES trials, step integer NOT NULL, intermediate_value double precision, intermediate_value_type trialintermediatevaluetype NOT NULL, UNIQUE (trial_id, step));
      CREATE TABLE trial_heartbeats (trial_heartbeat_id serial PRIMARY KEY, trial_id integer NOT NULL UNIQUE REFERENCES trials, heartbeat timestamp NOT NULL);
      CREATE TABLE version_info (version_info_id integer PRIMARY KEY CHECK (version_info_id = 1), schema_version integer, library_version varchar(256));
      CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);
      INSERT INTO version_info VALUES (1, 12, '3.0.0');
      INSERT INTO alembic_version VALUES ('v3.0.0.c');
      INSERT INTO studies (study_name) VALUES ('old');
      INSERT INTO study_directions (direction, study_id, objective) VALUES ('MAXIMIZE', 1, 0);
      INSERT INTO study_user_attributes (study_id, key, value_json) VALUES (1, 'owner', '"ann"');
      INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES
        (0, 1, 'COMPLETE', '2022-05-01 10:00:00', '2022-05-01 10:00:05'),
        (1, 1, 'COMPLETE', '2022-05-01 10:01:00', '2022-05-01 10:01:05'),
        (2, 1, 'COMPLETE', '2022-05-01 10:02:00', '2022-05-01 10:02:05'),
        (3, 1, 'FAIL', '2022-05-01 10:03:00', '2022-05-01 10:03:01');
      INSERT INTO trial_values (trial_id, objective, value) VALUES (2, 0, 0.25), (3, 0, 3.4028234663852886e38), (4, 0, -3.4028234663852886e38);
      INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES
        (2, 'x', 0.5, '{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}'),
        (3, 'lr', 0.01, '{"name": "LogUniformDistribution", "attributes": {"low": 0.0001, "high": 1.0}}');`);
    const storage = await open(urlFor(s));
    expect(await storage.schemaRevision).toBe('v3.0.0.d');
    const studyId = await storage.getStudyIdByName('old');
    expect(await storage.getStudyDirections(studyId)).toEqual(['maximize']);
    expect(await storage.getStudyUserAttrs(studyId)).toEqual({ owner: 'ann' });
    const trials = await storage.getAllTrials(studyId);
    expect(trials.map((t) => [t.number, t.state, t.values])).toEqual([
      [0, 'COMPLETE', undefined],
      [1, 'COMPLETE', [0.25]],
      [2, 'COMPLETE', [Infinity]],
      [3, 'FAIL', [-Infinity]],
    ]);
    expect(trials[1]?.params).toEqual({ x: 0.5 });
    expect(trials[2]?.distributions['lr']).toEqual({ kind: 'float', low: 0.0001, high: 1, log: true, step: null });
    expect(trials[0]?.datetimeStart?.toISOString()).toBe('2022-05-01T10:00:00.000Z');
    // And it goes on writing in the upgraded schema.
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    expect(t.number).toBe(4);
  });

  it('refuses (and leaves untouched) a schema revision it does not know, or tables without a version', async () => {
    const s = schema();
    await sql(`CREATE SCHEMA "${s}"; CREATE TABLE "${s}".alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO "${s}".alembic_version VALUES ('v2.4.0.a');
      CREATE TABLE "${s}".studies (study_id serial PRIMARY KEY, study_name text); INSERT INTO "${s}".studies (study_name) VALUES ('keep me');`);
    await expect(open(urlFor(s, '&retry=0'))).rejects.toThrow(/revision v2\.4\.0\.a.*optuna storage upgrade/);
    expect(await sql(`SELECT study_name FROM "${s}".studies`)).toEqual([{ study_name: 'keep me' }]);
    expect(await sql(`SELECT version_num FROM "${s}".alembic_version`)).toEqual([{ version_num: 'v2.4.0.a' }]);
    const bare = schema();
    await sql(`CREATE SCHEMA "${bare}"; CREATE TABLE "${bare}".studies (id int); INSERT INTO "${bare}".studies VALUES (7);`);
    await expect(open(urlFor(bare, '&retry=0'))).rejects.toThrow(/no alembic_version/);
    expect(await sql(`SELECT id FROM "${bare}".studies`)).toEqual([{ id: 7 }]);
  });

  it('fails a trial whose worker stopped beating, once, for exactly one of the workers that look; its late result is refused', async () => {
    // A grace of 15 heartbeats: a busy machine can delay a beat, not fifteen.
    const url = urlFor(schema(), '&heartbeat=0.1&grace=1.5');
    const owner = await open(url);
    const [a, b] = await Promise.all([open(url), open(url)]);
    const studyId = await owner.createStudy('beats', ['minimize']);
    const t = await owner.createTrial(studyId, { state: 'RUNNING' });
    await owner.updateTrial(t.trialId, { params: { x: { value: 0.5, distribution: X } } });
    // Alive and beating: nobody fails it, even well past the grace period.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await a.failStaleTrials(studyId)).toEqual([]);
    // The owner dies: no more heartbeats.
    await owner.close();
    const diedAt = Date.now();
    let failed: readonly { number: number; systemAttrs: Record<string, unknown>; params: Record<string, unknown> }[] = [];
    let other: readonly unknown[] = [];
    while (failed.length === 0 && Date.now() - diedAt < 30_000) {
      await new Promise((r) => setTimeout(r, 200));
      [failed, other] = await Promise.all([a.failStaleTrials(studyId), b.failStaleTrials(studyId)]);
      if (failed.length === 0) [failed, other] = [other as typeof failed, failed];
    }
    expect(failed.map((f) => f.number)).toEqual([0]);
    expect(other).toEqual([]);
    expect(failed[0]?.systemAttrs['failReason']).toBe('heartbeat lost');
    expect(failed[0]?.params).toEqual({ x: 0.5 });
    // Not before the grace period (the last beat was at most one heartbeat before the close); how soon
    // after it is load-dependent and measured by `npm run bench:distributed` (dead-worker detection), not asserted here.
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(1500 - 100 - 50);
    await expect(a.updateTrial(t.trialId, { state: 'COMPLETE', values: [1] })).rejects.toBeInstanceOf(TrialFinishedError);
    expect((await b.getTrial(t.trialId)).state).toBe('FAIL');
  });

  it('optimize retries a dead worker\'s trial with its params when retryFailed is set', async () => {
    const url = urlFor(schema(), '&heartbeat=0.1&grace=0.4');
    const dead = await open(url);
    const studyId = await dead.createStudy('retry', ['minimize']);
    const t = await dead.createTrial(studyId, { state: 'RUNNING' });
    await dead.updateTrial(t.trialId, { params: { x: { value: 0.25, distribution: X } } });
    await dead.close();
    await new Promise((r) => setTimeout(r, 700));
    const study = await createStudy({ name: 'retry', storage: await open(url), loadIfExists: true });
    const seen: number[] = [];
    await study.optimize((trial) => {
      const x = trial.suggestFloat('x', 0, 1);
      seen.push(x);
      return x;
    }, { nTrials: 3, retryFailed: 1 });
    expect(seen[0]).toBe(0.25);
    const trials = study.trials;
    expect(trials[0]?.state).toBe('FAIL');
    expect(trials[0]?.systemAttrs['failReason']).toBe('heartbeat lost');
    expect(trials.find((x) => x.systemAttrs['retryOf'] === 0)?.state).toBe('COMPLETE');
  });

  it('goes on when the server drops its connections mid-study: writes are retried, no finished trial lost', async () => {
    const app = `tl_drop_${process.pid}`;
    const s = schema();
    const study = await createStudy({ name: 'dropped', storage: await open(urlFor(s, `&application_name=${app}&heartbeat=0.2&grace=1`)), sampler: new RandomSampler({ seed: 5 }) });
    let kills = 0;
    const killer = setInterval(() => {
      void sql<{ n: number }>('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1', [app]).then((r) => (kills += r[0]?.n ?? 0));
    }, 150);
    try {
      await study.optimize(async (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        trial.report(x, 0);
        await new Promise((r) => setTimeout(r, 20));
        return x;
      }, { nTrials: 30 });
    } finally {
      clearInterval(killer);
    }
    expect(kills).toBeGreaterThan(0);
    // A connection dropped after the server committed a new trial but before the reply arrived
    // makes the retry create another: the first stays empty and RUNNING without heartbeats, so
    // one grace period later it is failed like a dead worker's trial.
    await new Promise((r) => setTimeout(r, 1300));
    const other = await open(urlFor(s, '&heartbeat=0.2&grace=1'));
    await other.failStaleTrials(study.studyId);
    const reread = await other.getAllTrials(study.studyId);
    expect(reread.map((t) => t.number)).toEqual(Array.from({ length: reread.length }, (_, i) => i));
    const complete = reread.filter((t) => t.state === 'COMPLETE');
    expect(complete).toHaveLength(30);
    for (const t of complete) {
      expect(t.values).toEqual([t.params['x']]);
      expect(t.intermediateValues[0]).toBe(t.params['x']);
    }
    for (const t of reread.filter((x) => x.state !== 'COMPLETE')) {
      expect([t.state, t.systemAttrs['failReason'], t.params]).toEqual(['FAIL', 'heartbeat lost', {}]);
    }
  });

  it.skipIf(requireOrSkip(noOptuna))('reads a study that Python Optuna wrote (int, log, step, categorical, reports, attributes, enqueued)', async () => {
    const s = schema();
    await sql(`CREATE SCHEMA "${s}"`);
    const script = `
import optuna, sys
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.RDBStorage(sys.argv[1], engine_kwargs={'connect_args': {'options': '-csearch_path=' + sys.argv[2]}})
study = optuna.create_study(study_name='from-python', storage=storage, direction='maximize', sampler=optuna.samplers.RandomSampler(seed=3))
study.set_user_attr('by', 'python')
study.enqueue_trial({'n': 5})
def objective(trial):
    n = trial.suggest_int('n', 1, 9, step=2)
    lr = trial.suggest_float('lr', 1e-4, 1.0, log=True)
    kind = trial.suggest_categorical('kind', ['a', 'b', None])
    trial.report(lr * 2, 0)
    trial.set_user_attr('note', {'n': n})
    return float('inf') if kind is None else n * lr
study.optimize(objective, n_trials=6)
`;
    const py = spawnSync('/usr/bin/python3', ['-c', script, 'postgresql+psycopg2://postgres@127.0.0.1:5432/test', s], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const storage = await open(urlFor(s));
    const studyId = await storage.getStudyIdByName('from-python');
    expect(await storage.getStudyDirections(studyId)).toEqual(['maximize']);
    expect(await storage.getStudyUserAttrs(studyId)).toEqual({ by: 'python' });
    const trials = await storage.getAllTrials(studyId);
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(trials[0]?.params['n']).toBe(5); // the enqueued value
    // Enqueued by Python, claimed by tunelab: the fixed params come along.
    const py2 = spawnSync('/usr/bin/python3', ['-c', `
import optuna, sys
storage = optuna.storages.RDBStorage(sys.argv[1], engine_kwargs={'connect_args': {'options': '-csearch_path=' + sys.argv[2]}})
optuna.load_study(study_name='from-python', storage=storage).enqueue_trial({'n': 7, 'kind': 'b'})
`, 'postgresql+psycopg2://postgres@127.0.0.1:5432/test', s], { encoding: 'utf8' });
    expect(py2.status, py2.stderr).toBe(0);
    const study = await loadStudy('from-python', storage);
    const trial = await study.ask();
    expect([trial.number, trial.suggestInt('n', 1, 9, { step: 2 }), trial.suggestCategorical('kind', ['a', 'b', null])]).toEqual([6, 7, 'b']);
    await study.tell(trial, 1);
    // Enqueued by tunelab, run by Python Optuna.
    await study.enqueueTrial({ n: 3, kind: 'a' });
    const py3 = spawnSync('/usr/bin/python3', ['-c', `
import json, optuna, sys
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.RDBStorage(sys.argv[1], engine_kwargs={'connect_args': {'options': '-csearch_path=' + sys.argv[2]}})
study = optuna.load_study(study_name='from-python', storage=storage)
seen = []
study.optimize(lambda t: seen.append([t.number, t.suggest_int('n', 1, 9, step=2), t.suggest_categorical('kind', ['a', 'b', None])]) or 1.0, n_trials=1)
print(json.dumps(seen))
`, 'postgresql+psycopg2://postgres@127.0.0.1:5432/test', s], { encoding: 'utf8' });
    expect(py3.status, py3.stderr).toBe(0);
    expect(JSON.parse(py3.stdout)).toEqual([[7, 3, 'a']]);
    for (const t of trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.distributions['n']).toEqual({ kind: 'int', low: 1, high: 9, log: false, step: 2 });
      expect(t.distributions['lr']).toEqual({ kind: 'float', low: 1e-4, high: 1, log: true, step: null });
      expect(t.distributions['kind']).toEqual({ kind: 'categorical', choices: ['a', 'b', null] });
      const n = t.params['n'] as number;
      const lr = t.params['lr'] as number;
      if (t.params['kind'] === null) expect(t.values).toEqual([Infinity]);
      else expect(t.values?.[0]).toBeCloseTo(n * lr, 12);
      expect(t.intermediateValues[0]).toBeCloseTo(lr * 2, 12);
      expect(t.userAttrs).toEqual({ note: { n } });
    }
  }, 120_000); // Python with SQLAlchemy and Optuna starts slowly on a busy machine
});
