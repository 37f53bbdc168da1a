// Parallel trials: speed-up on a CPU-bound TF.js objective, dispatch overhead, shared-memory RSS.
// Run: npx tsup && node dist/bench/parallel.js   (npm run bench:parallel)
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createStudy, RandomSampler, type ObjectiveContext, type Trial } from '../src/index.js';

const ROWS = 1024;
const FEATURES = 8;
const TRIALS = 16;
const DATASET_MB = 400;

/** A small regression model fitted on the wasm backend: about half a second of pure CPU per trial. */
async function fitModel(trial: Trial, ctx: ObjectiveContext): Promise<number> {
  const tf = ctx.tf;
  const { x, y } = ctx.data as { x: Float32Array; y: Float32Array };
  const units = trial.suggestInt('units', 16, 48);
  const lr = trial.suggestFloat('lr', 1e-3, 1e-1, { log: true });
  const rows = y.length;
  const xs = tf.tensor2d(x, [rows, x.length / rows]);
  const ys = tf.tensor2d(y, [rows, 1]);
  const model = tf.sequential();
  model.add(tf.layers.dense({ units, activation: 'relu', inputShape: [x.length / rows] }));
  model.add(tf.layers.dense({ units, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(lr), loss: 'meanSquaredError' });
  const history = await model.fit(xs, ys, { epochs: 8, batchSize: 32, verbose: 0 });
  const losses = history.history['loss'] as number[];
  model.dispose();
  xs.dispose();
  ys.dispose();
  return losses[losses.length - 1] as number;
}

function sharedDataset(): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(new SharedArrayBuffer(ROWS * FEATURES * 4));
  const y = new Float32Array(new SharedArrayBuffer(ROWS * 4));
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let r = 0; r < ROWS; r++) {
    let target = 0;
    for (let f = 0; f < FEATURES; f++) {
      const v = rand();
      x[r * FEATURES + f] = v;
      target += Math.sin(v * (f + 1));
    }
    y[r] = target;
  }
  return { x, y };
}

async function timeCpuBound(workers: number): Promise<{ seconds: number; perTrial: number; cpu: number }> {
  const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 0 }) });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await study.optimize(fitModel, { nTrials: TRIALS, workers, data: sharedDataset() });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu0);
  const failed = study.trials.filter((t) => t.state !== 'COMPLETE');
  if (failed.length > 0) throw new Error(`bench trial failed: ${String(failed[0]?.systemAttrs['failReason'])}`);
  const perTrial = study.trials.reduce((s, t) => s + (t.durationMs ?? 0), 0) / study.trials.length / 1000;
  return { seconds, perTrial, cpu: (used.user + used.system) / 1e6 };
}

/** Marginal cost of one more trivial trial: the difference of a long and a short run, so pool start-up cancels out. */
async function dispatchMs(workers: number): Promise<number> {
  const run = async (n: number): Promise<number> => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    const t0 = performance.now();
    await study.optimize((trial) => trial.suggestFloat('x', 0, 1), { nTrials: n, workers });
    return performance.now() - t0;
  };
  await run(20);
  const short = await run(50);
  const long = await run(2050);
  return (long - short) / 2000;
}

/** Peak RSS of a fresh process whose workers all read every page of a 400 MB shared dataset. */
function peakRss(workers: number): number {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--rss', String(workers)], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`RSS child failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

async function rssChild(workers: number): Promise<void> {
  const values = new Float32Array(new SharedArrayBuffer(DATASET_MB * 1024 * 1024));
  for (let i = 0; i < values.length; i += 1024) values[i] = 1;
  const study = await createStudy({ storage: 'memory:' });
  await study.optimize(
    (trial, ctx) => {
      const v = (ctx.data as { values: Float32Array }).values;
      let sum = 0;
      for (let i = 0; i < v.length; i += 1024) sum += v[i] as number;
      return sum + trial.suggestFloat('x', 0, 1);
    },
    { nTrials: 2 * Math.max(1, workers), workers, data: { values } },
  );
  process.stdout.write(`${process.resourceUsage().maxRSS / 1024}\n`);
}

/** The anchor's Optuna experiment, re-run now: a fixed CPU-bound pure-Python objective (~50 ms idle), 40 trials, threads. */
function optunaSpeedup(): string {
  const script = `
import time, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
def objective(trial):
    x = trial.suggest_float('x', -10, 10)
    s = 0.0
    for i in range(1_500_000):  # a fixed amount of pure-Python work, ~50 ms on one idle core
        s += x * i
    return x * x
walls = []
for n_jobs in (1, 2):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=40, n_jobs=n_jobs)
    walls.append(time.perf_counter() - t0)
print(f"{walls[0]:.2f} {walls[1]:.2f}")
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) return 'not measured (python3-optuna missing: apt-get install -y python3-optuna)';
  const [one, two] = run.stdout.trim().split(' ').map(Number) as [number, number];
  return `${(one / two).toFixed(2)}× (n_jobs=1 ${one.toFixed(2)} s, n_jobs=2 ${two.toFixed(2)} s, same run)`;
}

async function main(): Promise<void> {
  const rssFlag = process.argv.indexOf('--rss');
  if (rssFlag >= 0) return rssChild(Number(process.argv[rssFlag + 1]));

  const load = loadavg().map((l) => l.toFixed(2)).join(', ');
  console.log(`# bench/parallel — ${new Date().toISOString()}, ${availableParallelism()} cores, load average ${load} (1, 5, 15 min)\n`);

  const one = await timeCpuBound(1);
  const two = await timeCpuBound(2);
  const optuna = optunaSpeedup();
  console.log(`## CPU-bound objective: a small TF.js model fitted on wasm, ${TRIALS} trials\n`);
  // CPU s / wall s = the cores this process actually got: on a shared machine, below the worker count.
  console.log('| workers | wall s | s per trial (in worker) | process CPU s | cores obtained | speed-up | Optuna n_jobs=2 (threads) |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| 1 | ${one.seconds.toFixed(2)} | ${one.perTrial.toFixed(3)} | ${one.cpu.toFixed(2)} | ${(one.cpu / one.seconds).toFixed(2)} | 1.00× | |`);
  console.log(`| 2 | ${two.seconds.toFixed(2)} | ${two.perTrial.toFixed(3)} | ${two.cpu.toFixed(2)} | ${(two.cpu / two.seconds).toFixed(2)} | ${(one.seconds / two.seconds).toFixed(2)}× | 0.99× (anchor); ${optuna} |`);

  console.log('\n## Dispatch overhead: trivial objective, ms per trial (marginal, 2000 trials)\n');
  console.log('| executor | ms per trial |');
  console.log('|---|---|');
  console.log(`| in the calling thread (workers: 0) | ${(await dispatchMs(0)).toFixed(3)} |`);
  console.log(`| 1 worker thread | ${(await dispatchMs(1)).toFixed(3)} |`);
  console.log(`| 2 worker threads | ${(await dispatchMs(2)).toFixed(3)} |`);

  console.log(`\n## Memory: peak RSS with a ${DATASET_MB} MB dataset on SharedArrayBuffer, every worker reading every page\n`);
  console.log('| workers | peak RSS MB | over one copy of the data |');
  console.log('|---|---|---|');
  for (const w of [0, 1, 2]) {
    const rss = peakRss(w);
    console.log(`| ${w === 0 ? '0 (calling thread)' : w} | ${rss.toFixed(0)} | +${(rss - DATASET_MB).toFixed(0)} MB |`);
  }
}

await main();
