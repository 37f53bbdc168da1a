import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';
import { dropSchema, freshSchemaName, postgresUnavailable, sql, urlFor } from '../storage/postgres-helpers.js';

const CLI = resolve('dist/cli/main.js');
const unavailable = (await postgresUnavailable()) ?? DIST_PROBLEM;
const python = spawnSync('/usr/bin/python3', ['-c', 'import optuna, psycopg2'], { encoding: 'utf8' });
const noOptuna = python.status === 0 ? undefined : 'Debian python3-optuna and python3-psycopg2 are not installed (apt-get install -y python3-optuna python3-psycopg2)';

let dir: string;
const schemas: string[] = [];
const children = new Set<ChildProcess>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunelab-worker-'));
  // x is suggested first, then the trial waits: a killed worker dies holding a RUNNING trial with params.
  writeFileSync(
    join(dir, 'sleepy.mjs'),
    `export default async (trial) => {
       const x = trial.suggestFloat('x', -10, 10);
       await new Promise((r) => setTimeout(r, Number(process.env.SLEEP_MS ?? 50)));
       return x * x;
     };\n`,
  );
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s);
});

function schema(): string {
  const s = freshSchemaName();
  schemas.push(s);
  return s;
}

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

function worker(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [CLI, 'worker', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((res) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      res({ code, signal, out });
    }),
  );
  return { child, done };
}

interface Row {
  number: number;
  state: string;
  fail_reason: string | null;
  retry_of: string | null;
  x: number | null;
  completed: Date | null;
}

async function trialsOf(s: string, study: string): Promise<Row[]> {
  return sql<Row>(
    `SELECT t.number, t.state::text AS state,
       (SELECT value_json FROM "${s}".trial_system_attributes a WHERE a.trial_id = t.trial_id AND a.key = 'failReason') AS fail_reason,
       (SELECT value_json FROM "${s}".trial_system_attributes a WHERE a.trial_id = t.trial_id AND a.key = 'retryOf') AS retry_of,
       (SELECT param_value FROM "${s}".trial_params p WHERE p.trial_id = t.trial_id AND p.param_name = 'x') AS x,
       t.datetime_complete AT TIME ZONE 'UTC' AS completed
     FROM "${s}".trials t JOIN "${s}".studies st ON st.study_id = t.study_id WHERE st.study_name = $1 ORDER BY t.number`,
    [study],
  );
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(requireOrSkip(unavailable))('tunelab worker on PostgreSQL', () => {
  /** The study the first test's four workers wrote, read back by Python Optuna in the second. */
  let four: { schema: string; rows: Awaited<ReturnType<typeof trialsOf>> } | undefined;

  it('4 worker processes × 25 trials make exactly 100 COMPLETE trials numbered 0..99', async () => {
    const s = schema();
    const url = urlFor(s);
    const runs = Array.from({ length: 4 }, () => worker(['--study', 'four', '--storage', url, '--objective', join(dir, 'sleepy.mjs'), '--trials', '25', '--sampler', 'random']));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.out).toBe(0);
    const rows = await trialsOf(s, 'four');
    expect(rows).toHaveLength(100);
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(rows.every((r) => r.state === 'COMPLETE')).toBe(true);
    four = { schema: s, rows };
  }, 120_000);

  it('two workers with the default sampler share one AutoSampler run: the GP after 10 trials, no point proposed twice', async () => {
    const s = schema();
    const url = urlFor(s);
    const runs = Array.from({ length: 2 }, () => worker(['--study', 'auto', '--storage', url, '--objective', join(dir, 'sleepy.mjs'), '--trials', '10'], { SLEEP_MS: '5' }));
    for (const r of await Promise.all(runs.map((run) => run.done))) expect(r.code, r.out).toBe(0);
    const rows = await trialsOf(s, 'auto');
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.x)).size).toBe(20);
    const choices = await sql<{ number: number; choice: string }>(
      `SELECT t.number, a.value_json AS choice FROM "${s}".trials t JOIN "${s}".trial_system_attributes a ON a.trial_id = t.trial_id AND a.key = 'auto:sampler' ORDER BY t.number`,
    );
    expect(choices).toHaveLength(20);
    expect(choices.every((c) => JSON.parse(c.choice).startsWith('gp: '))).toBe(true);
  }, 120_000);

  it('refuses a sampler workers cannot share, naming the choices', async () => {
    const r = await worker(['--study', 'x', '--storage', urlFor(schema()), '--objective', join(dir, 'sleepy.mjs'), '--trials', '1', '--sampler', 'qmc']).done;
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/--sampler <sampler>' argument 'qmc' is invalid\. Allowed choices are auto, tpe, gp, nsga2, random/);
  });

  it.skipIf(requireOrSkip(noOptuna))('Python Optuna reads the study the four workers wrote', () => {
    if (four === undefined) throw new Error('the four-worker study was not written (the test before this one failed)');
    const { schema: s, rows } = four;
    const script = `
import json, optuna, sys
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.RDBStorage(sys.argv[1], engine_kwargs={'connect_args': {'options': '-csearch_path=' + sys.argv[2]}})
study = optuna.load_study(study_name='four', storage=storage)
trials = study.get_trials()
print(json.dumps({'n': len(trials), 'states': sorted({t.state.name for t in trials}), 'numbers': [t.number for t in trials],
  'x': [t.params['x'] for t in trials], 'values': [t.value for t in trials], 'best': study.best_value,
  'dist': repr(trials[0].distributions['x']), 'direction': study.direction.name}))
`;
    const py = spawnSync('/usr/bin/python3', ['-c', script, 'postgresql+psycopg2://postgres@127.0.0.1:5432/test', s], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const seen = JSON.parse(py.stdout) as { n: number; states: string[]; numbers: number[]; x: number[]; values: number[]; best: number; dist: string; direction: string };
    expect(seen.n).toBe(100);
    expect(seen.states).toEqual(['COMPLETE']);
    expect(seen.numbers).toEqual(rows.map((r) => r.number));
    expect(seen.x).toEqual(rows.map((r) => r.x));
    expect(seen.values).toEqual(rows.map((r) => (r.x as number) ** 2));
    expect(seen.best).toBe(Math.min(...seen.values));
    expect(seen.dist).toBe('FloatDistribution(high=10.0, log=False, low=-10.0, step=None)');
    expect(seen.direction).toBe('MINIMIZE');
  }, 120_000);

  it('a worker killed with SIGKILL mid-trial: its trial becomes FAIL ("heartbeat lost") within a grace period and is retried', async () => {
    const s = schema();
    const graceMs = 1500;
    const url = urlFor(s, `&heartbeat=0.25&grace=${graceMs / 1000}`);
    const common = ['--study', 'kill', '--storage', url, '--objective', join(dir, 'sleepy.mjs'), '--retry-failed', '1'];
    const victim = worker([...common, '--trials', '1'], { SLEEP_MS: '60000' });
    const running = await until('the victim to start its trial', 30_000, async () => (await trialsOf(s, 'kill').catch(() => [])).find((r) => r.state === 'RUNNING' && r.x !== null));
    // A live worker (a fresh process) notices the dead one's trial and retries its params. It is
    // working before the kill, so the bound below measures detection, not a process start-up; it
    // runs enough 50 ms trials to outlive the grace period.
    const survivor = worker([...common, '--trials', '100'], { SLEEP_MS: '50' });
    await until('the survivor to finish a trial', 30_000, async () => (await trialsOf(s, 'kill')).find((r) => r.number !== running.number && r.state === 'COMPLETE'));
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    await victim.done;
    const failed = await until('the killed trial to fail', 20_000, async () => (await trialsOf(s, 'kill')).find((r) => r.number === running.number && r.state === 'FAIL'));
    const detectedMs = (failed.completed as Date).getTime() - killedAt;
    expect(failed.fail_reason).toBe('"heartbeat lost"');
    // Not before the grace period ran out (less the 0.25 s between beats). How soon after is up to a busy
    // machine; `npm run bench:distributed` measures it. The wait above bounds it at 20 s.
    expect(detectedMs).toBeGreaterThanOrEqual(graceMs - 250 - 50);
    expect((await survivor.done).code).toBe(0);
    const rows = await trialsOf(s, 'kill');
    const retry = rows.find((r) => r.retry_of === String(running.number));
    expect(retry?.state).toBe('COMPLETE');
    expect(retry?.x).toBe(running.x);
    expect(rows.filter((r) => r.state === 'RUNNING' || r.state === 'WAITING')).toEqual([]);
  }, 90_000);

  it('SIGTERM fails the running trial as "interrupted" and leaves nothing RUNNING', async () => {
    const s = schema();
    const run = worker(['--study', 'term', '--storage', urlFor(s), '--objective', join(dir, 'sleepy.mjs'), '--trials', '5'], { SLEEP_MS: '60000' });
    await until('a running trial', 30_000, async () => (await trialsOf(s, 'term').catch(() => [])).find((r) => r.state === 'RUNNING'));
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(result.out).toMatch(/SIGTERM/);
    const rows = await trialsOf(s, 'term');
    expect(rows.map((r) => [r.state, r.fail_reason])).toEqual([['FAIL', '"interrupted"']]);
  }, 60_000);

  it('--total-trials is stored in the study and stops every worker at that total', async () => {
    const s = schema();
    const url = urlFor(s);
    const runs = Array.from({ length: 2 }, () => worker(['--study', 'total', '--storage', url, '--objective', join(dir, 'sleepy.mjs'), '--total-trials', '30']));
    for (const r of await Promise.all(runs.map((x) => x.done))) expect(r.code, r.out).toBe(0);
    const rows = await trialsOf(s, 'total');
    // The storage counts and starts under the study's lock: exactly the total (issue 14 item 13).
    expect(rows.length).toBe(30);
    const attr = await sql<{ value_json: string }>(`SELECT value_json FROM "${s}".study_system_attributes WHERE key = 'totalTrials'`);
    expect(attr.map((a) => a.value_json)).toEqual(['30']);
  }, 90_000);

  it('refuses a bad option with a message naming it', async () => {
    const result = await worker(['--study', 'x', '--storage', 'memory:', '--objective', join(dir, 'sleepy.mjs'), '--trials', 'two']).done;
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/--trials.*whole number/);
  });
});
