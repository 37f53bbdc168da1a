// Issue 14, item 13: `totalTrials` (and `tunelab worker --total-trials N`) ends a study with
// exactly N trials however many workers race for the last ones: the storage counts and starts
// in one atomic step (PostgreSQL: under the study row's lock; LevelDB and memory: in one
// synchronous step). Real PostgreSQL, real worker processes, real LevelDB.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LevelStorage } from '../../src/storage/level/level-storage.js';
import '../../src/storage/level/register.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { PostgresStorage } from '../../src/storage/postgres/storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { createStudy } from '../../src/study/create.js';
import type { StudyId } from '../../src/trial/frozen-trial.js';
import { dropSchema, freshSchemaName, postgresUnavailable, sql, urlFor } from '../storage/postgres-helpers.js';
import { requireOrSkip } from '../helpers/require.js';

const CLI = resolve(import.meta.dirname, '../../dist/cli/main.js');
const noPostgres = await postgresUnavailable();
const noCli = existsSync(CLI) ? undefined : `${CLI} is missing; run npm run build`;
if (noPostgres) console.warn(`skipping the PostgreSQL total-trials races: ${noPostgres}`);
if (noCli) console.warn(`skipping the worker-process total-trials race: ${noCli}`);

const COUNTED = ['COMPLETE', 'PRUNED', 'RUNNING'] as const;
const X = { kind: 'float', low: 0, high: 1, log: false, step: null } as const;

let dir: string;
const schemas: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunelab-faults-total-'));
  writeFileSync(
    join(dir, 'quick.mjs'),
    `export default async (trial) => {
       const x = trial.suggestFloat('x', -10, 10);
       await new Promise((r) => setTimeout(r, 5));
       return x * x;
     };\n`,
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s);
});

function runWorker(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, 'worker', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      res({ code, out });
    });
  });
}

/** Many callers race startTrialWithin → finish until the storage says the budget is spent. */
async function race(storages: readonly Storage[], studyId: StudyId, total: number): Promise<number> {
  let started = 0;
  await Promise.all(
    storages.map(async (storage) => {
      for (;;) {
        const t = await storage.startTrialWithin?.(studyId, { total, states: COUNTED });
        if (t === undefined) return;
        started++;
        await storage.updateTrial(t.trialId, { params: { x: { value: 0.5, distribution: X } }, state: 'COMPLETE', values: [started] });
      }
    }),
  );
  return started;
}

describe.skipIf(requireOrSkip(noPostgres ?? noCli))('tunelab worker --total-trials on PostgreSQL (issue 14 item 13)', () => {
  it('4 worker processes with --total-trials 10 make exactly 10 trials, round after round', async () => {
    const s = freshSchemaName();
    schemas.push(s);
    const url = urlFor(s);
    for (const study of ['r1', 'r2', 'r3']) {
      const runs = Array.from({ length: 4 }, () => runWorker(['--study', study, '--storage', url, '--objective', join(dir, 'quick.mjs'), '--total-trials', '10', '--sampler', 'random']));
      for (const r of await Promise.all(runs)) expect(r.code, r.out).toBe(0);
      const rows = await sql<{ number: number; state: string }>(
        `SELECT t.number, t.state::text AS state FROM "${s}".trials t JOIN "${s}".studies st USING (study_id) WHERE st.study_name = $1 ORDER BY t.number`,
        [study],
      );
      expect(rows.map((r) => r.number), `study ${study}`).toEqual([...Array(10).keys()]);
      expect(rows.every((r) => r.state === 'COMPLETE')).toBe(true);
    }
  }, 120_000);
});

describe.skipIf(requireOrSkip(noPostgres))('startTrialWithin on PostgreSQL: 6 connections race (issue 14 item 13)', () => {
  it('the study ends with exactly the total, enqueued trials claimed first', async () => {
    const s = freshSchemaName();
    schemas.push(s);
    const storages = Array.from({ length: 6 }, () => new PostgresStorage(urlFor(s)));
    try {
      const first = storages[0] as PostgresStorage;
      const studyId = await first.createStudy('race', ['minimize']);
      await first.createTrial(studyId, { state: 'WAITING', systemAttrs: { fixedParams: { x: 0.25 } } });
      expect(await race(storages, studyId, 25)).toBe(25);
      const trials = await first.getAllTrials(studyId);
      expect(trials.map((t) => t.number)).toEqual([...Array(25).keys()]);
      expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
      // A finished budget stays finished; a FAIL trial does not count.
      expect(await first.startTrialWithin(studyId, { total: 25, states: COUNTED })).toBeUndefined();
    } finally {
      await Promise.all(storages.map((st) => st.close()));
    }
  }, 60_000);
});

describe('totalTrials in one process (issue 14 item 13)', () => {
  it.each([
    ['LevelDB', async () => LevelStorage.open(mkdtempSync(join(tmpdir(), 'tunelab-faults-total-level-')), { keep: 0 })],
    ['memory', async () => new InMemoryStorage()],
  ] as const)('%s: parallel startTrialWithin calls stop at exactly the total', async (_name, open) => {
    const storage = await open();
    const studyId = await storage.createStudy('race', ['minimize']);
    expect(await race([storage, storage, storage, storage, storage], studyId, 17)).toBe(17);
    expect((await storage.getAllTrials(studyId)).map((t) => t.number)).toEqual([...Array(17).keys()]);
    await storage.close();
  });

  it('LevelDB: three optimize() calls at once on one study with totalTrials 12 make exactly 12 trials', async () => {
    const levelDir = mkdtempSync(join(tmpdir(), 'tunelab-faults-total-opt-'));
    const study = await createStudy({ name: 'together', storage: `level:${levelDir}?keep=0` });
    const objective = async (trial: { suggestFloat: (n: string, a: number, b: number) => number }): Promise<number> => {
      const x = trial.suggestFloat('x', 0, 1);
      await new Promise((r) => setTimeout(r, 2));
      return x;
    };
    await Promise.all([1, 2, 3].map(() => study.optimize(objective, { totalTrials: 12 })));
    expect(study.trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
    await study.close();
    rmSync(levelDir, { recursive: true, force: true });
  });
});
