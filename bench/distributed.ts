// Distributed throughput on PostgreSQL: `tunelab worker` processes × a 50 ms sleeping objective,
// beside Optuna's two-process sqlite figures (../shared/anchors/optuna.md, parsed at run time),
// the per-trial storage cost when the study already holds 10,000 trials, and how soon a dead worker's
// trial is failed (the heartbeat timing the tests leave to this benchmark).
// Run: npx tsup && node dist/bench/distributed.js   (TUNELAB_BENCH_PG overrides the server URL)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createStudy, loadStudy, PostgresStorage, RandomSampler, type Storage } from '../src/index.js';

const BASE = process.env['TUNELAB_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const ANCHORS = resolve(process.env['TUNELAB_ANCHORS'] ?? '../shared/anchors/optuna.md');
// Enough trials that the processes' staggered start-up is a small part of the steady window.
const TOTAL = Number(process.env['TUNELAB_BENCH_TRIALS'] ?? 360);
const schema = `tl_bench_${process.pid}`;
const url = (extra = ''): string => `${BASE}?schema=${schema}${extra}`;

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: BASE, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

function runWorker(study: string, objective: string, trials: number): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, 'worker', '--study', study, '--storage', url(), '--objective', objective, '--trials', String(trials), '--sampler', 'random'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`worker exited with ${code}`))));
  });
}

interface Throughput {
  readonly processes: number;
  readonly complete: number;
  readonly wallS: number;
  readonly steadyPerS: number;
}

/** N processes share TOTAL trials; wall time includes process start-up, steady rate is first start → last end in the database. */
async function throughput(processes: number, objective: string): Promise<Throughput> {
  const study = `bench-${processes}`;
  const started = performance.now();
  await Promise.all(Array.from({ length: processes }, () => runWorker(study, objective, TOTAL / processes)));
  const wallS = (performance.now() - started) / 1000;
  const [row] = await sql<{ n: number; span: number }>(
    `SELECT count(*)::int AS n, extract(epoch FROM max(t.datetime_complete) - min(t.datetime_start))::float8 AS span
     FROM trials t JOIN studies s USING (study_id) WHERE s.study_name = $1 AND t.state = 'COMPLETE'`,
    [study],
  );
  return { processes, complete: row?.n ?? 0, wallS, steadyPerS: (row?.n ?? 0) / (row?.span ?? Infinity) };
}

interface Anchor {
  readonly sampler: string;
  readonly twoProcS: number;
  readonly oneProcS: number;
  readonly trials: number;
}

/** The "Parallel trials" table of the Optuna anchors: 2 processes and 1 process on sqlite, wall seconds. */
function optunaAnchors(): Anchor[] | string {
  if (!existsSync(ANCHORS)) return `${ANCHORS} not found`;
  const text = readFileSync(ANCHORS, 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('Parallel trials'));
  if (!section) return `no "Parallel trials" section in ${ANCHORS}`;
  const trials = Number(/(\d+) trials\)/.exec(section)?.[1] ?? NaN);
  const out: Anchor[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim()).filter((c) => c !== '');
    if (cells.length === 6 && /^[a-z]+$/.test(cells[0] as string) && cells[0] !== 'sampler') out.push({ sampler: cells[0] as string, twoProcS: Number(cells[4]), oneProcS: Number(cells[5]), trials });
  }
  return out.length > 0 ? out : `could not read the table in ${ANCHORS}`;
}

/** Wraps a storage's methods to add up the time spent in each. */
function meter(storage: Storage): Map<string, { n: number; ms: number }> {
  const stats = new Map<string, { n: number; ms: number }>();
  const target = storage as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['createTrial', 'claimWaitingTrial', 'updateTrial', 'getAllTrials', 'failStaleTrials']) {
    const original = target[name]?.bind(storage);
    if (!original) continue;
    const s = { n: 0, ms: 0 };
    stats.set(name, s);
    target[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await original(...args);
      } finally {
        s.n++;
        s.ms += performance.now() - t;
      }
    };
  }
  return stats;
}

interface Cost {
  readonly existing: number;
  readonly loadMs: number;
  readonly trialMs: number;
  readonly storageMs: number;
}

/** ms per ask → tell (trivial objective) and the storage's share, in a study already holding `existing` trials. */
async function perTrialCost(existing: number, measured = 100): Promise<Cost> {
  const name = `cost-${existing}`;
  const storage = new PostgresStorage(url());
  const seed = await createStudy({ name, storage, sampler: new RandomSampler({ seed: 1 }) });
  if (existing > 0) {
    const [{ id } = { id: 0 }] = await sql<{ id: number }>('SELECT study_id AS id FROM studies WHERE study_name = $1', [name]);
    await sql(`INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) SELECT g, $1, 'COMPLETE', LOCALTIMESTAMP, LOCALTIMESTAMP FROM generate_series(0, $2::int - 1) g`, [id, existing]);
    await sql(
      `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
       SELECT trial_id, 'x', random() * 20 - 10, '{"name": "FloatDistribution", "attributes": {"step": null, "low": -10, "high": 10, "log": false}}' FROM trials WHERE study_id = $1`,
      [id],
    );
    await sql(`INSERT INTO trial_values (trial_id, objective, value, value_type) SELECT trial_id, 0, random(), 'FINITE' FROM trials WHERE study_id = $1`, [id]);
  }
  await seed.storage.close();
  // A fresh process's view: a new storage (no cache) loads the study.
  const fresh = new PostgresStorage(url());
  const t0 = performance.now();
  const study = await loadStudy(name, fresh, { sampler: new RandomSampler({ seed: 2 }) });
  const loadMs = performance.now() - t0;
  await study.optimize((t) => t.suggestFloat('x', -10, 10) ** 2, { nTrials: 20 });
  const stats = meter(fresh);
  const t1 = performance.now();
  await study.optimize((t) => t.suggestFloat('x', -10, 10) ** 2, { nTrials: measured });
  const trialMs = (performance.now() - t1) / measured;
  const storageMs = [...stats.values()].reduce((a, s) => a + s.ms, 0) / measured;
  await fresh.close();
  return { existing, loadMs, trialMs, storageMs };
}

const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : '–');

/**
 * How long after a worker's last heartbeat its RUNNING trial becomes FAIL ("heartbeat lost"), seen by a
 * live storage polling every 50 ms: the timing the tests no longer assert (they check only "not before
 * the grace period"), measured here where a busy machine shows as a number, not a failure.
 */
async function detectionMs(heartbeatS: number, graceS: number, runs = 5): Promise<number[]> {
  const extra = `&heartbeat=${heartbeatS}&grace=${graceS}`;
  const out: number[] = [];
  for (let k = 0; k < runs; k++) {
    const owner = new PostgresStorage(url(extra));
    const watcher = new PostgresStorage(url(extra));
    const studyId = await owner.createStudy(`detect-${k}`, ['minimize']);
    await owner.createTrial(studyId, { state: 'RUNNING' });
    await owner.close();
    const diedAt = Date.now();
    while ((await watcher.failStaleTrials(studyId)).length === 0) await new Promise((r) => setTimeout(r, 50));
    out.push(Date.now() - diedAt);
    await watcher.close();
  }
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx tsup first`);
  const dir = mkdtempSync(join(tmpdir(), 'tunelab-bench-'));
  const objective = join(dir, 'sleep50.mjs');
  writeFileSync(objective, `export default async (t) => { const x = t.suggestFloat('x', -10, 10); await new Promise((r) => setTimeout(r, 50)); return x * x; };\n`);
  await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  try {
    // Create the tables once, so no worker pays for it inside a measurement.
    await new PostgresStorage(url()).close();
    console.log(`# tunelab distributed benchmark (PostgreSQL ${BASE.replace(/:[^:@/]*@/, ':***@')}, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at start)\n`);
    console.log(`${TOTAL} trials of a 50 ms sleeping objective, random sampler, shared by N \`tunelab worker\` processes (each runs ${TOTAL}/N).\n`);
    const results: Throughput[] = [];
    for (const n of [1, 2, 4]) results.push(await throughput(n, objective));
    const base = results[0] as Throughput;
    console.log('| processes | COMPLETE | wall s (incl. start-up) | trials/s (wall) | trials/s (steady) | speed-up (steady) |');
    console.log('|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(`| ${r.processes} | ${r.complete} | ${f(r.wallS, 2)} | ${f(r.complete / r.wallS)} | ${f(r.steadyPerS)} | ${f(r.steadyPerS / base.steadyPerS, 2)}× |`);
    }
    const anchors = optunaAnchors();
    console.log('\nOptuna 3.1 reference (from ../shared/anchors/optuna.md, ~50 ms CPU-bound objective, sqlite):\n');
    if (typeof anchors === 'string') console.log(`(${anchors})`);
    else {
      console.log('| Optuna sampler | trials | 1 process on sqlite: wall s | trials/s | 2 processes on sqlite: wall s (incl. start-up) | trials/s | speed-up |');
      console.log('|---|---|---|---|---|---|---|');
      for (const a of anchors) {
        console.log(`| ${a.sampler} | ${a.trials} | ${f(a.oneProcS, 2)} | ${f(a.trials / a.oneProcS)} | ${f(a.twoProcS, 2)} | ${f(a.trials / a.twoProcS)} | ${f(a.oneProcS / a.twoProcS, 2)}× |`);
      }
    }
    console.log('\nPer-trial cost, one process, trivial objective (ask → suggest → tell; storage = time inside PostgresStorage calls):\n');
    console.log('| trials already in the study | first load of the study ms | ms per trial | storage ms per trial |');
    console.log('|---|---|---|---|');
    for (const existing of [0, 10_000]) {
      const c = await perTrialCost(existing);
      console.log(`| ${existing} | ${f(c.loadMs)} | ${f(c.trialMs, 2)} | ${f(c.storageMs, 2)} |`);
    }
    console.log('\nDead-worker detection: ms from a worker\'s close (its last heartbeat) to its trial failing, 5 runs, a live storage polling every 50 ms:\n');
    console.log('| heartbeat s | grace s | min | median | max |');
    console.log('|---|---|---|---|---|');
    for (const [hb, grace] of [[0.1, 0.6], [0.25, 1.5]] as const) {
      const ms = await detectionMs(hb, grace);
      console.log(`| ${hb} | ${grace} | ${ms[0]} | ${ms[2]} | ${ms[4]} |`);
    }
  } finally {
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
