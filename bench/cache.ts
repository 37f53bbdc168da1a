// Evaluation cache: a seeded 30-trial lstm study run twice as two studies in two processes (the second
// replays the first from the cache), then the hit latency of EvalCache's memory (L1) and disk (L2) levels.
// Run: npx tsup && node dist/bench/cache.js   (npm run bench:cache)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvalCache, tune, NopPruner, shutdown } from '../src/index.js';
import { evaluationKey } from '../src/cache/keys.js';
import { sharedEvalCache } from '../src/study/study-cache.js';
import type { ParamValue } from '../src/trial/distributions.js';
import type { JsonValue } from '../src/util/json.js';
import { demoDataset, peakRssMb } from './lib/btc.js';
import { percentile } from './lib/stats.js';

const TRIALS = 30;
const EPOCHS = 2;
const SEED = 11;
const LATENCY_KEYS = 10_000;
const LATENCY_WARMUP = 1_000;

interface TrialOut {
  readonly number: number;
  readonly state: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly values: readonly number[] | null;
  readonly intermediateValues: Readonly<Record<number, number>>;
  readonly cached: boolean;
}

interface RunOut {
  /** study.optimize of the 30 trials (tune()'s per-family time). */
  readonly studySeconds: number;
  /** tune().run(): the study plus the refit of the best configuration for the test metrics. */
  readonly runSeconds: number;
  /** From process start (Node and TF.js start-up, data loading, run(), cache close). */
  readonly processSeconds: number;
  readonly trials: TrialOut[];
  readonly memoryHits: number;
  readonly diskHits: number;
  readonly misses: number;
  readonly rssMb: number;
}

async function runChild(storageDir: string, cacheDir: string): Promise<RunOut> {
  const ds = await demoDataset();
  const t0 = performance.now();
  // No pruner: the cache keeps COMPLETE trials only (a pruning decision depends on the other trials).
  const result = await tune(ds).models(['lstm']).trials(TRIALS).epochs(EPOCHS).seed(SEED).workers(0).pruner(new NopPruner()).storage(`level:${storageDir}`).cache({ dir: cacheDir }).progress(false).run();
  const runSeconds = (performance.now() - t0) / 1000;
  const study = result.study('lstm');
  const trials = study.trials.map((t) => ({
    number: t.number,
    state: t.state,
    params: t.params,
    values: t.values ?? null,
    intermediateValues: t.intermediateValues,
    cached: t.systemAttrs['cached'] === true,
  }));
  const stats = sharedEvalCache({ dir: cacheDir }).stats();
  const row = result.rows[0];
  await shutdown();
  return {
    studySeconds: row?.seconds ?? Number.NaN,
    runSeconds,
    processSeconds: performance.now() / 1000,
    trials,
    memoryHits: stats.memoryHits,
    diskHits: stats.diskHits,
    misses: stats.misses,
    rssMb: peakRssMb(),
  };
}

/** What the cache holds for one lstm trial: a trace of 10 suggests, its value, 20 reports, attributes. */
function evaluationRecord(i: number): JsonValue {
  const names = ['lr', 'batchSize', 'optimizer', 'l2', 'lookback', 'layers', 'units', 'dropout', 'momentum', 'clip'];
  const trace = names.map((name, j) => [name, { kind: 'float', low: 1e-5, high: 1, log: j % 2 === 0 }, ((i * 7919 + j * 104729) % 100_000) / 100_000]);
  const intermediateValues: Record<string, number> = {};
  for (let s = 0; s < 20; s++) intermediateValues[String(s)] = 1 / (1 + s + i / LATENCY_KEYS);
  return { trace, values: [0.5 + i / 1e6], intermediateValues, userAttrs: { backend: 'wasm', bestEpoch: 17, epochsRun: 20 }, durationMs: 8123 + i } as unknown as JsonValue;
}

function latencyKeys(n: number): string[] {
  const scope = { objective: 'module:/bench/objective.js:abc', datasetFingerprint: 'windows=bench', seed: SEED };
  return Array.from({ length: n }, (_, i) => evaluationKey(scope, { lr: i / n, units: i % 64, optimizer: i % 3 }));
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let s = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function timedGets(cache: EvalCache, keys: readonly string[]): Promise<number[]> {
  const us: number[] = [];
  for (const key of keys) {
    const t = process.hrtime.bigint();
    const v = await cache.get(key);
    us.push(Number(process.hrtime.bigint() - t) / 1000);
    if (v === undefined) throw new Error(`bench: key ${key} missed`);
  }
  return us;
}

interface LatencyOut {
  readonly l1: number[];
  readonly l1Sync: number[];
  readonly l2: number[];
  readonly l2Open: number;
  readonly valueBytes: number;
  readonly l2Stats: { memoryHits: number; diskHits: number; misses: number };
  /** Disk hits during the L1 passes (should be 0). */
  readonly l1DiskHits: number;
}

async function latencyChild(dir: string): Promise<LatencyOut> {
  const keys = latencyKeys(LATENCY_KEYS + LATENCY_WARMUP);
  // Memory bound above the key count: past it the memory level drops its oldest entries, and a
  // scan over more keys than it holds would miss every time.
  const maxKeys = 2 * keys.length;
  const writer = new EvalCache({ dir, maxKeys });
  for (const [i, key] of keys.entries()) await writer.set(key, evaluationRecord(i));
  await writer.close();
  const measured = shuffled(keys.slice(LATENCY_WARMUP));
  const warm = keys.slice(0, LATENCY_WARMUP);

  // A fresh instance on the same directory: its memory level is empty, so every get goes to disk (L2).
  const cache = new EvalCache({ dir, maxKeys });
  const t = process.hrtime.bigint();
  await cache.keys('');
  const l2Open = Number(process.hrtime.bigint() - t) / 1e6;
  await timedGets(cache, warm);
  const before = cache.stats();
  const l2 = await timedGets(cache, measured);
  const after = cache.stats();
  // The same keys again: an L2 hit keeps the value in memory, so these are L1 hits.
  await timedGets(cache, warm);
  const l1 = await timedGets(cache, measured);
  const l1Sync: number[] = [];
  for (const key of measured) {
    const t0 = process.hrtime.bigint();
    if (cache.getSync(key) === undefined) throw new Error(`bench: key ${key} not in memory`);
    l1Sync.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const end = cache.stats();
  await cache.close();
  return {
    l1,
    l1Sync,
    l2,
    l2Open,
    valueBytes: JSON.stringify(evaluationRecord(0)).length,
    l2Stats: { memoryHits: after.memoryHits - before.memoryHits, diskHits: after.diskHits - before.diskHits, misses: after.misses - before.misses },
    l1DiskHits: end.diskHits - after.diskHits,
  };
}

function child<T>(args: string[]): T {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', timeout: 1_800_000, maxBuffer: 256 * 1024 * 1024 });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) throw new Error(`child ${args.join(' ')} failed (status ${run.status}): ${run.stderr.slice(-3000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

function sameTrials(a: readonly TrialOut[], b: readonly TrialOut[]): { identical: boolean; differences: string[] } {
  const differences: string[] = [];
  if (a.length !== b.length) differences.push(`trial counts ${a.length} vs ${b.length}`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as TrialOut;
    const y = b[i] as TrialOut;
    // JSON of numbers is exact (shortest round-trip form), so equal strings mean bit-identical values.
    const fields = ['number', 'state', 'params', 'values', 'intermediateValues'] as const;
    for (const f of fields) if (JSON.stringify(x[f]) !== JSON.stringify(y[f])) differences.push(`trial ${i}: ${f} differs`);
  }
  return { identical: differences.length === 0, differences };
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');
const us = (v: number): string => v.toFixed(2);

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--run') return void console.log(`RESULT ${JSON.stringify(await runChild(process.argv[3] as string, process.argv[4] as string))}`);
  if (mode === '--latency') return void console.log(`RESULT ${JSON.stringify(await latencyChild(process.argv[3] as string))}`);

  console.log(`# bench/cache — ${new Date().toISOString()}, ${availableParallelism()} cores, load average ${load()} (1, 5, 15 min)\n`);
  const root = mkdtempSync(join(tmpdir(), 'tunelab-bench-cache-'));
  try {
    const cacheDir = join(root, 'cache');
    const first = child<RunOut>(['--run', join(root, 'storage-1'), cacheDir]);
    const loadBetween = load();
    const second = child<RunOut>(['--run', join(root, 'storage-2'), cacheDir]);
    const same = sameTrials(first.trials, second.trials);
    const hits = second.trials.filter((t) => t.cached).length;
    console.log(`## A seeded ${TRIALS}-trial lstm study, run twice: new study, new storage, new process, same cache and seed\n`);
    console.log(`Settings: tune(btc demo dataset).models(['lstm']).trials(${TRIALS}).epochs(${EPOCHS}).seed(${SEED}), TPE, no pruner, workers 0 (in the calling thread), wasm backend; LevelDB storage and cache in fresh temp dirs. Load average before run 2: ${loadBetween}.\n`);
    console.log('| | run 1 (cold cache) | run 2 (new study, same cache) | speed-up |');
    console.log('|---|---|---|---|');
    console.log(`| study s (${TRIALS} trials) | ${first.studySeconds.toFixed(2)} | ${second.studySeconds.toFixed(3)} | **${(first.studySeconds / second.studySeconds).toFixed(0)}×** |`);
    console.log(`| tune().run() s (study + refit of the best for test metrics) | ${first.runSeconds.toFixed(2)} | ${second.runSeconds.toFixed(2)} | ${(first.runSeconds / second.runSeconds).toFixed(1)}× |`);
    console.log(`| process s (incl. Node, TF.js and data start-up) | ${first.processSeconds.toFixed(2)} | ${second.processSeconds.toFixed(2)} | ${(first.processSeconds / second.processSeconds).toFixed(1)}× |`);
    console.log(`| trials served from the cache (hit ratio) | ${first.trials.filter((t) => t.cached).length} / ${first.trials.length} | ${hits} / ${second.trials.length} (${((100 * hits) / Math.max(1, second.trials.length)).toFixed(0)}%) | |`);
    console.log(`| EvalCache lookups: memory hits / disk hits / misses | ${first.memoryHits} / ${first.diskHits} / ${first.misses} | ${second.memoryHits} / ${second.diskHits} / ${second.misses} | |`);
    console.log(`| peak RSS MB | ${first.rssMb.toFixed(0)} | ${second.rssMb.toFixed(0)} | |`);
    console.log(`\nIdentical params, states, values and reports, trial by trial: **${same.identical ? 'yes' : 'no'}**${same.identical ? '' : ` (${same.differences.slice(0, 5).join('; ')})`}\n`);

    console.log(`load average before the latency run: ${load()}\n`);
    const lat = child<LatencyOut>(['--latency', join(root, 'latency')]);
    console.log(`## EvalCache hit latency: ${LATENCY_KEYS.toLocaleString('en')} gets of distinct keys in shuffled order, values of ${lat.valueBytes} bytes (a cached trial: 10-param trace, value, 20 reports)\n`);
    console.log('| level | mean µs | p50 µs | p99 µs | goal |');
    console.log('|---|---|---|---|---|');
    const row = (name: string, v: number[], goal: string): void => {
      console.log(`| ${name} | ${us(v.reduce((a, b) => a + b, 0) / v.length)} | ${us(percentile(v, 50))} | ${us(percentile(v, 99))} | ${goal} |`);
    };
    row(`L1 memory: \`await cache.get(key)\` (${lat.l1DiskHits} disk hits)`, lat.l1, '≤ 5 µs');
    row('L1 memory: `cache.getSync(key)`', lat.l1Sync, '');
    row(`L2 disk: \`await cache.get(key)\`, fresh instance (${lat.l2Stats.diskHits} disk hits, ${lat.l2Stats.memoryHits} memory, ${lat.l2Stats.misses} misses)`, lat.l2, '≤ 200 µs');
    console.log(`\nOpening the fresh instance (LevelDB open + index scan of ${(LATENCY_KEYS + LATENCY_WARMUP).toLocaleString('en')} entries): ${lat.l2Open.toFixed(0)} ms, once.`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
