// Model tuning: per-trial time of an LSTM on wasm vs cpu, trials/hour of the demo's tuning with 1 and 2
// workers, and peak RSS. Each case runs in its own child process (fresh TF.js, its own peak RSS).
// Run: npx tsup && node dist/bench/models.js   (npm run bench:models)
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadTf, type BackendName } from '../src/tf/backend.js';
import { fitFamily } from '../src/models/fit.js';
import { modelDataOf } from '../src/models/model-data.js';
// tune() from the package entry, as users import it: that also installs the worker-thread runner.
import { tune, shutdown } from '../src/index.js';
import { DEMO_DEFAULTS } from '../src/cli/demo.js';
import { FixedTrial } from '../src/trial/fixed-trial.js';
import type { ParamValue } from '../src/trial/distributions.js';
import { demoDataset, peakRssMb } from './lib/btc.js';

/** Three LSTM configurations from the family's default space, trained identically on both backends. */
const LSTM_CONFIGS: ReadonlyArray<Readonly<Record<string, ParamValue>>> = [
  { lr: 0.003, batchSize: 64, optimizer: 'adam', l2: 1e-5, lookback: 30, layers: 1, units: 16, dropout: 0.1 },
  { lr: 0.001, batchSize: 32, optimizer: 'rmsprop', l2: 1e-4, lookback: 20, layers: 1, units: 32, dropout: 0.2 },
  { lr: 0.01, batchSize: 128, optimizer: 'adam', l2: 1e-6, lookback: 30, layers: 2, units: 24, dropout: 0 },
];
const LSTM_EPOCHS = 2;
const SEED = 7;
/** The demo's tuning cut to 2 trials per family (the demo runs 10: five rounds of 2 workers); its epochs, seed and families. */
const DEMO_TRIALS = 2;

interface LstmResult {
  readonly backend: BackendName;
  readonly seconds: number[];
  readonly valLoss: number[];
  readonly rssMb: number;
}

interface DemoResult {
  readonly workers: number;
  readonly trials: number;
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  readonly tuneSeconds: number;
  readonly totalSeconds: number;
  readonly backend: string;
  readonly rssMb: number;
}

async function lstmChild(backend: BackendName): Promise<LstmResult> {
  const { tf } = await loadTf(backend);
  const data = modelDataOf(await demoDataset());
  const seconds: number[] = [];
  const valLoss: number[] = [];
  for (const [i, params] of LSTM_CONFIGS.entries()) {
    const t0 = performance.now();
    // patience = epochs: every configuration trains all its epochs, so both backends do the same work.
    const fitted = await fitFamily(tf, new FixedTrial(params, i), data, { family: 'lstm', epochs: LSTM_EPOCHS, patience: LSTM_EPOCHS, seed: SEED });
    seconds.push((performance.now() - t0) / 1000);
    valLoss.push(fitted.result.bestValLoss);
    fitted.model.dispose();
    await fitted.restoreBackend();
  }
  return { backend, seconds, valLoss, rssMb: peakRssMb() };
}

async function demoChild(workers: number): Promise<DemoResult> {
  const t0 = performance.now();
  const ds = await demoDataset();
  const result = await tune(ds)
    .models(DEMO_DEFAULTS.models)
    .trials(DEMO_TRIALS)
    .epochs(DEMO_DEFAULTS.epochs)
    .seed(DEMO_DEFAULTS.seed)
    .workers(workers)
    .storage('memory:')
    .cache(false)
    .progress(false)
    .run();
  const totalSeconds = (performance.now() - t0) / 1000;
  const sum = (f: (r: (typeof result.rows)[number]) => number): number => result.rows.reduce((s, r) => s + f(r), 0);
  const out: DemoResult = {
    workers,
    trials: sum((r) => r.complete + r.pruned + r.failed),
    complete: sum((r) => r.complete),
    pruned: sum((r) => r.pruned),
    failed: sum((r) => r.failed),
    tuneSeconds: result.tuningSeconds,
    totalSeconds,
    backend: result.backend,
    rssMb: peakRssMb(),
  };
  await shutdown();
  return out;
}

function child<T>(args: string[]): T {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', timeout: 1_800_000, maxBuffer: 64 * 1024 * 1024 });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) throw new Error(`child ${args.join(' ')} failed (status ${run.status}): ${run.stderr.slice(-3000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

const f2 = (v: number): string => v.toFixed(2);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--lstm') return void console.log(`RESULT ${JSON.stringify(await lstmChild(process.argv[3] as BackendName))}`);
  if (mode === '--demo') return void console.log(`RESULT ${JSON.stringify(await demoChild(Number(process.argv[3])))}`);

  console.log(`# bench/models — ${new Date().toISOString()}, ${availableParallelism()} cores, load average ${load()} (1, 5, 15 min)\n`);

  const wasm = child<LstmResult>(['--lstm', 'wasm']);
  const cpu = child<LstmResult>(['--lstm', 'cpu']);
  console.log(`## Per-trial time of the lstm family: ${LSTM_CONFIGS.length} fixed configurations × ${LSTM_EPOCHS} epochs (no early stop), seed ${SEED}, demo dataset\n`);
  console.log('| configuration | wasm s | cpu s | cpu / wasm | val loss wasm | val loss cpu |');
  console.log('|---|---|---|---|---|---|');
  for (const [i, c] of LSTM_CONFIGS.entries()) {
    const w = wasm.seconds[i] as number;
    const p = cpu.seconds[i] as number;
    const desc = `${c['layers']}×${c['units']} units, batch ${c['batchSize']}, lookback ${c['lookback']}`;
    console.log(`| ${desc} | ${f2(w)} | ${f2(p)} | ${f2(p / w)}× | ${(wasm.valLoss[i] as number).toPrecision(6)} | ${(cpu.valLoss[i] as number).toPrecision(6)} |`);
  }
  const tw = wasm.seconds.reduce((a, b) => a + b, 0);
  const tc = cpu.seconds.reduce((a, b) => a + b, 0);
  console.log(`| **mean per trial** | ${f2(tw / wasm.seconds.length)} | ${f2(tc / cpu.seconds.length)} | ${f2(tc / tw)}× | | |`);
  console.log(`| peak RSS MB | ${wasm.rssMb.toFixed(0)} | ${cpu.rssMb.toFixed(0)} | | | |`);

  console.log('');
  console.log(`## Demo tuning: ${DEMO_DEFAULTS.models.join(', ')}; ${DEMO_TRIALS} trials per family (the demo runs ${DEMO_DEFAULTS.trials}), ${DEMO_DEFAULTS.epochs} epochs max, seed ${DEMO_DEFAULTS.seed}, median pruner, memory: storage, cache off\n`);
  console.log('| workers | backend | trials (ok / pruned / failed) | tuning s | trials/hour | speed-up | run() + data s (incl. refit of each best) | peak RSS MB | load before |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  // Each row prints as soon as its run ends: a long run on a busy machine still leaves the first.
  let base: number | undefined;
  for (const workers of [1, 2]) {
    const before = load();
    const r = child<DemoResult>(['--demo', String(workers)]);
    const perHour = (r.trials / r.tuneSeconds) * 3600;
    base ??= perHour;
    console.log(`| ${r.workers} | ${r.backend} | ${r.trials} (${r.complete} / ${r.pruned} / ${r.failed}) | ${f2(r.tuneSeconds)} | ${perHour.toFixed(0)} | ${f2(perHour / base)}× | ${f2(r.totalSeconds)} | ${r.rssMb.toFixed(0)} | ${before} |`);
  }
}

await main();
