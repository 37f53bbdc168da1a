// Search quality: best value so far after 25/50/100/200 trials, seeds 0..9, for Random, TPE and
// multivariate TPE, beside Optuna's numbers from the anchors file and (held-back functions)
// from Optuna run live in the same process tree. Run: npm run build && npm run bench:samplers
import { createStudy, RandomSampler, TPESampler, type Sampler } from '../src/index.js';
import { anchorRows, ANCHORS_PATH } from './lib/anchors.js';
import { FUNCTIONS, PYTHON_FUNCTIONS, type BenchFunction } from './lib/functions.js';
import { optunaVersion, runPython } from './lib/python.js';
import { percentile, summary } from './lib/stats.js';

const SEEDS = Array.from({ length: 10 }, (_, i) => i);
const N_TRIALS = 200;
const CHECKPOINTS = [25, 50, 100, 200];

const SAMPLERS: readonly { name: string; python: string; make: (seed: number) => Sampler }[] = [
  { name: 'tpe', python: 'optuna.samplers.TPESampler(seed=seed)', make: (seed) => new TPESampler({ seed }) },
  { name: 'tpe multivariate', python: 'optuna.samplers.TPESampler(seed=seed, multivariate=True)', make: (seed) => new TPESampler({ seed, multivariate: true }) },
  { name: 'random', python: 'optuna.samplers.RandomSampler(seed=seed)', make: (seed) => new RandomSampler({ seed }) },
  // The default scores candidates as Optuna 3.1 does (what the anchors ran); these rows show
  // Optuna >= 3.5's normalised densities (legacyScoring: false) beside it.
  { name: 'tpe normalized', python: '', make: (seed) => new TPESampler({ seed, legacyScoring: false }) },
  { name: 'tpe multivariate normalized', python: '', make: (seed) => new TPESampler({ seed, multivariate: true, legacyScoring: false }) },
];

/** best-so-far at each checkpoint, per seed: results[seed][checkpoint]. */
type Runs = number[][];

async function runOurs(fn: BenchFunction, make: (seed: number) => Sampler): Promise<Runs> {
  const runs: Runs = [];
  for (const seed of SEEDS) {
    const study = await createStudy({ storage: 'memory:', sampler: make(seed) });
    const bests: number[] = [];
    let best = Infinity;
    await study.optimize(fn.objective, {
      nTrials: N_TRIALS,
      callbacks: [
        (_s, t) => {
          if (t.value !== undefined && t.value < best) best = t.value;
          if (CHECKPOINTS.includes(t.number + 1)) bests.push(best);
        },
      ],
    });
    runs.push(bests);
  }
  return runs;
}

function pythonScript(functions: readonly string[]): string {
  return `
import json, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
${PYTHON_FUNCTIONS}
out = {}
for fname in ${JSON.stringify(functions)}:
    for sname, make in [${SAMPLERS.filter((s) => s.python !== '').map((s) => `(${JSON.stringify(s.name)}, lambda seed: ${s.python})`).join(', ')}]:
        runs = []
        for seed in ${JSON.stringify(SEEDS)}:
            study = optuna.create_study(sampler=make(seed))
            study.optimize(FUNCTIONS[fname], n_trials=${N_TRIALS})
            vals = [t.value for t in study.trials]
            runs.append([min(vals[:c]) for c in ${JSON.stringify(CHECKPOINTS)}])
        out.setdefault(fname, {})[sname] = runs
print(json.dumps(out))
`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function columnOf(runs: Runs, i: number): number[] {
  return runs.map((r) => r[i] as number);
}

async function main(): Promise<void> {
  const live = process.env['TUNELAB_BENCH_LIVE'] ?? 'heldback'; // 'all' | 'heldback' | 'none'
  const optuna = optunaVersion();
  const liveFunctions = live === 'none' || !optuna.version ? [] : FUNCTIONS.filter((f) => live === 'all' || f.heldBack).map((f) => f.name);
  const started = Date.now();
  const pythonRun = liveFunctions.length > 0 ? runPython(pythonScript(liveFunctions)).then((s) => JSON.parse(s) as Record<string, Record<string, Runs>>) : undefined;
  pythonRun?.catch(() => undefined);

  const ours = new Map<string, Runs>();
  for (const fn of FUNCTIONS) for (const s of SAMPLERS) ours.set(`${fn.name}/${s.name}`, await runOurs(fn, s.make));
  const oursSeconds = (Date.now() - started) / 1000;
  let liveResults: Record<string, Record<string, Runs>> = {};
  let liveNote = optuna.version ? `live Optuna ${optuna.version} (${PYTHON_NOTE})` : `live Optuna not run: ${optuna.reason}`;
  if (pythonRun) {
    try {
      liveResults = await pythonRun;
    } catch (error) {
      liveNote = `live Optuna failed: ${(error as Error).message}`;
    }
  }
  const anchors = anchorRows();

  console.log(`\n## Best value so far (median [q25–q75] over seeds ${SEEDS[0]}..${SEEDS[SEEDS.length - 1]}, ${N_TRIALS} trials, minimisation)\n`);
  console.log(`tunelab: ${oursSeconds.toFixed(1)} s for all runs. Anchors: ${anchors ? ANCHORS_PATH : `anchors not found at ${ANCHORS_PATH} (relative to the project root)`}. ${liveNote}.\n`);
  console.log(row(['function', 'sampler', 'source', ...CHECKPOINTS.map((c) => `after ${c}`)]));
  console.log(row(['---', '---', '---', ...CHECKPOINTS.map(() => '---')]));
  const verdicts: string[] = [];
  for (const fn of FUNCTIONS) {
    for (const s of SAMPLERS) {
      const runs = ours.get(`${fn.name}/${s.name}`) as Runs;
      console.log(row([fn.name, s.name, 'tunelab', ...CHECKPOINTS.map((_, i) => summary(columnOf(runs, i)))]));
      const anchorName = s.name.replace(' normalized', '');
      const anchor = anchors?.find((r) => r[0] === fn.name && r[1] === anchorName);
      if (anchor && anchorName === s.name) console.log(row([fn.name, s.name, 'optuna 3.1 (anchors)', ...anchor.slice(2, 6)]));
      const liveRuns = liveResults[fn.name]?.[anchorName];
      if (liveRuns && anchorName === s.name) console.log(row([fn.name, s.name, `optuna ${optuna.version} (live)`, ...CHECKPOINTS.map((_, i) => summary(columnOf(liveRuns, i)))]));
      if (s.name === 'random') continue;
      for (const [ci, c] of [[2, 100], [3, 200]] as const) {
        const mine = percentile(columnOf(runs, ci), 50);
        const ref = anchor ? Number((anchor[2 + ci] as string).split(' ')[0]) : liveRuns ? percentile(columnOf(liveRuns, ci), 50) : undefined;
        if (ref === undefined) continue;
        verdicts.push(`${mine <= ref ? 'met ' : 'MISSED'} ${fn.name} / ${s.name} after ${c}: tunelab median ${summaryNumber(mine)} vs Optuna ${summaryNumber(ref)} (${anchor ? 'anchors' : 'live'})`);
      }
    }
  }
  console.log('\n## Goal: TPE median no worse than Optuna after 100 and after 200 trials\n');
  for (const v of verdicts) console.log(`- ${v}`);
}

const PYTHON_NOTE = 'Debian /usr/bin/python3, held-back functions only unless TUNELAB_BENCH_LIVE=all';

function summaryNumber(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

await main();
