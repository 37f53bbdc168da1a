// Parallel trials: speed-up on a CPU-bound TF.js objective, dispatch overhead, shared-memory RSS.
// Run: npx tsup && node dist/bench/parallel.js   (npm run bench:parallel)
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createStudy, RandomSampler, type ObjectiveContext, type Trial } from '../src/index.js';

const ROWS = 1024;
const FEATURES = 8;
const DATASET_MB = 400;
// `--trials N` shows how the per-worker start-up (TF.js load, V8 warming its JIT) amortizes.
const trialsFlag = process.argv.indexOf('--trials');
const TRIALS = trialsFlag >= 0 ? Number(process.argv[trialsFlag + 1]) : 16;

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

interface Timing {
  readonly seconds: number;
  /** Mean wall time of one trial inside its worker. */
  readonly perTrial: number;
  /** CPU seconds of the whole process, all threads: over wall seconds, the cores it obtained. */
  readonly cpu: number;
}

type Params = Record<string, number>;

/** A study of `objective` through tunelab's pool; returns its timing and the params it sampled. */
async function timeTunelab(objective: (trial: Trial, ctx: ObjectiveContext) => number | Promise<number>, workers: number): Promise<Timing & { params: Params[] }> {
  const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 0 }) });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await study.optimize(objective, { nTrials: TRIALS, workers, data: sharedDataset() });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu0);
  const failed = study.trials.filter((t) => t.state !== 'COMPLETE');
  if (failed.length > 0) throw new Error(`bench trial failed: ${String(failed[0]?.systemAttrs['failReason'])}`);
  const perTrial = study.trials.reduce((s, t) => s + (t.durationMs ?? 0), 0) / study.trials.length / 1000;
  return { seconds, perTrial, cpu: (used.user + used.system) / 1e6, params: study.trials.map((t) => t.params as Params) };
}

// The reference: the same objective source and the same sampled params, run by plain worker
// threads that each load TF.js the same way and take a fixed share of the trials — no pool, no
// sampler, no round trips. What it reaches is what worker threads give this workload here.
const PLAIN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const requireHere = createRequire(workerData.from);
(async () => {
  const tf = requireHere('@tensorflow/tfjs');
  requireHere('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  const objective = (0, eval)('(' + workerData.source + ')');
  const times = [];
  for (const params of workerData.params) {
    const trial = { suggestInt: (name) => params[name], suggestFloat: (name) => params[name] };
    const t0 = performance.now();
    await objective(trial, { tf, data: workerData.data, context: undefined });
    times.push(performance.now() - t0);
  }
  parentPort.postMessage(times);
})();
`;

async function timePlainThreads(objective: (...args: never[]) => unknown, params: readonly Params[], workers: number): Promise<Timing> {
  const data = sharedDataset();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const shares = Array.from({ length: workers }, (_, w) => params.filter((_p, i) => i % workers === w));
  const times = await Promise.all(
    shares.map(
      (share) =>
        new Promise<number[]>((resolve, reject) => {
          const worker = new Worker(PLAIN_WORKER, { eval: true, workerData: { from: import.meta.url, source: objective.toString(), params: share, data } });
          worker.once('message', (m: number[]) => void worker.terminate().then(() => resolve(m)));
          worker.once('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu0);
  const all = times.flat();
  return { seconds, perTrial: all.reduce((s, t) => s + t, 0) / all.length / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** Pure computation, no TF.js: a fixed ~0.4 s of arithmetic over the shared data, no allocation. */
function numericLoop(trial: Trial, ctx: ObjectiveContext): number {
  const { x } = ctx.data as { x: Float32Array };
  const scale = trial.suggestFloat('scale', 0.5, 2);
  let sum = 0;
  for (let pass = 0; pass < 12_000; pass++) {
    for (let i = 0; i < x.length; i++) sum += Math.sqrt(Math.abs((x[i] as number) * scale + pass));
  }
  return sum / 1e6;
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

  const fit1 = await timeTunelab(fitModel, 1);
  const fit2 = await timeTunelab(fitModel, 2);
  const plain1 = await timePlainThreads(fitModel, fit1.params, 1);
  const plain2 = await timePlainThreads(fitModel, fit1.params, 2);
  const loop1 = await timeTunelab(numericLoop, 1);
  const loop2 = await timeTunelab(numericLoop, 2);
  const optuna = optunaSpeedup();
  console.log(`## CPU-bound objectives, ${TRIALS} trials, 1 and 2 workers\n`);
  console.log('"cores obtained" = process CPU s / wall s: with one worker, above 1 is V8\'s own background threads');
  console.log('(concurrent JIT compilation, GC helpers) running on the other core; with two they compete with the trials.\n');
  console.log('| objective | run by | workers | wall s | s per trial (in worker) | process CPU s | cores obtained | speed-up |');
  console.log('|---|---|---|---|---|---|---|---|');
  const rows: [string, string, Timing, Timing][] = [
    ['TF.js model fit (wasm)', 'tunelab', fit1, fit2],
    ['TF.js model fit (wasm)', 'plain worker_threads, same params (reference)', plain1, plain2],
    ['numeric loop (no TF.js)', 'tunelab', loop1, loop2],
  ];
  for (const [name, runner, one, two] of rows) {
    for (const [workers, t] of [[1, one], [2, two]] as const) {
      const speedup = workers === 1 ? '1.00×' : `${(one.seconds / two.seconds).toFixed(2)}×`;
      console.log(`| ${name} | ${runner} | ${workers} | ${t.seconds.toFixed(2)} | ${t.perTrial.toFixed(3)} | ${t.cpu.toFixed(2)} | ${(t.cpu / t.seconds).toFixed(2)} | ${speedup} |`);
    }
  }
  console.log(`\ntunelab ÷ plain threads, 2-worker speed-up: ${(fit1.seconds / fit2.seconds / (plain1.seconds / plain2.seconds)).toFixed(2)}`);
  console.log(`Optuna n_jobs=2 (threads), CPU-bound Python objective: 0.99× (anchor); ${optuna}`);

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
