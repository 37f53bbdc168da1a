// Search quality: best value so far after 25/50/100/200 trials, seeds 0..9, for Random, TPE and
// multivariate TPE, beside Optuna's numbers from the anchors file and (held-back functions)
// from Optuna run live in the same process tree. Run: npm run build && npm run bench:samplers
//
// GP, CMA-ES, QMC and Auto (issue 16) beside Optuna 4.9's GPSampler and CmaEsSampler (regret
// anchors in optuna4-gp.md): `npm run bench:samplers -- --trials 100 --samplers gp,cmaes,qmc,auto,tpe
// --functions branin,rosenbrock5` (the GP's cost grows with the cube of the trials).
//
// Is a gap real or seed noise? `npm run bench:samplers -- --seeds 40 --functions rosenbrock5
// --samplers tpe,"tpe multivariate"` runs seeds 0..39 of the chosen rows, here and in live Optuna
// (the anchors hold 10 seeds only), and adds a Mann–Whitney test of each comparison.
//
// What a GP trial costs at larger studies: `-- --trials 25 --samplers gp --functions branin --gp-cost-at 100,200,500`.
//
// Optuna 4.9's GPSampler live, for any seeds: set TUNELAB_OPTUNA49 to an export of its source
// (../shared/anchors/optuna4-gp.md says how; it needs python3-torch), e.g. `TUNELAB_OPTUNA49=/tmp/optuna-4.9.0
// npm run bench:samplers -- --seeds 40 --trials 100 --samplers gp,auto --functions branin,rosenbrock5`.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { AutoSampler, CmaEsSampler, createStudy, GPSampler, QMCSampler, RandomSampler, TPESampler, type Sampler } from '../src/index.js';
import { GP_MAX_TRIALS } from '../src/search/samplers/auto/choose.js';
import { anchorRows, ANCHORS_PATH, optuna4Rows, OPTUNA4_ANCHORS_PATH, projectRoot } from './lib/anchors.js';
import { FUNCTIONS, PYTHON_FUNCTIONS, type BenchFunction } from './lib/functions.js';
import { optunaVersion, runPython } from './lib/python.js';
import { fmt, mannWhitney, percentile, summary } from './lib/stats.js';

const ARGS = parseArgs({
  options: { seeds: { type: 'string', default: '10' }, functions: { type: 'string' }, samplers: { type: 'string' }, trials: { type: 'string', default: '200' }, 'gp-cost-at': { type: 'string' } },
}).values;
const N_SEEDS = Number(ARGS.seeds);
if (!Number.isInteger(N_SEEDS) || N_SEEDS < 2) throw new Error(`--seeds must be a whole number >= 2, got ${ARGS.seeds}`);
const SEEDS = Array.from({ length: N_SEEDS }, (_, i) => i);
/** The anchors file holds seeds 0..9: with any other seed set every comparison is live. */
const ANCHORS_APPLY = N_SEEDS === 10;
const N_TRIALS = Number(ARGS.trials);
if (!Number.isInteger(N_TRIALS) || N_TRIALS < 25) throw new Error(`--trials must be a whole number >= 25, got ${ARGS.trials}`);
const CHECKPOINTS = [25, 50, 100, 200].filter((c) => c <= N_TRIALS);

const SAMPLERS: readonly { name: string; python: string; make: (seed: number) => Sampler }[] = [
  { name: 'tpe', python: 'optuna.samplers.TPESampler(seed=seed)', make: (seed) => new TPESampler({ seed }) },
  { name: 'tpe multivariate', python: 'optuna.samplers.TPESampler(seed=seed, multivariate=True)', make: (seed) => new TPESampler({ seed, multivariate: true }) },
  { name: 'random', python: 'optuna.samplers.RandomSampler(seed=seed)', make: (seed) => new RandomSampler({ seed }) },
  // The default scores candidates as Optuna 3.1 does (what the anchors ran); these rows show
  // Optuna >= 3.5's normalised densities (legacyScoring: false) beside it.
  { name: 'tpe normalized', python: '', make: (seed) => new TPESampler({ seed, legacyScoring: false }) },
  { name: 'tpe multivariate normalized', python: '', make: (seed) => new TPESampler({ seed, multivariate: true, legacyScoring: false }) },
  // Issue 16. Optuna 3.1 (live) has CMA-ES and QMC; its GP came in 3.6, so gp and auto compare with
  // Optuna 4.9's anchors (regret table below).
  { name: 'gp', python: '', make: (seed) => new GPSampler({ seed }) },
  { name: 'cmaes', python: 'optuna.samplers.CmaEsSampler(seed=seed)', make: (seed) => new CmaEsSampler({ seed }) },
  { name: 'qmc', python: 'optuna.samplers.QMCSampler(seed=seed, scramble=True)', make: (seed) => new QMCSampler({ seed }) },
  { name: 'auto', python: '', make: (seed) => new AutoSampler({ seed }) },
];

/** Known minima, for regret = best − minimum (the Optuna 4.9 anchors are regrets). */
const MINIMA: Readonly<Record<string, number>> = { branin: 0.397887, rosenbrock5: 0, sphere10: 0, ackley10: 0 };

function pick<T extends { name: string }>(all: readonly T[], list: string | undefined, flag: string): readonly T[] {
  if (list === undefined) return all;
  const names = list.split(',').map((n) => n.trim());
  for (const n of names) if (!all.some((x) => x.name === n)) throw new Error(`--${flag}: unknown ${JSON.stringify(n)}; choose from ${all.map((x) => x.name).join(', ')}`);
  return all.filter((x) => names.includes(x.name));
}
const RUN_FUNCTIONS = pick(FUNCTIONS, ARGS.functions, 'functions');
const RUN_SAMPLERS = pick(SAMPLERS, ARGS.samplers, 'samplers');

/** best-so-far at each checkpoint, per seed: results[seed][checkpoint]. */
type Runs = number[][];

/** Optuna 4.9's GPSampler run live: best-so-far per seed and seconds per study. */
interface LiveGP {
  runs: Runs;
  seconds: number[];
}

/** Seconds per study (wall and CPU of this process) and ms per trial over the last 10 trials, per seed. */
interface Cost {
  wall: number[];
  cpu: number[];
  lastTrialsMs: number[];
}
const COSTS = new Map<string, Cost>();

async function runOurs(fn: BenchFunction, name: string, make: (seed: number) => Sampler): Promise<Runs> {
  const runs: Runs = [];
  const cost: Cost = { wall: [], cpu: [], lastTrialsMs: [] };
  for (const seed of SEEDS) {
    const study = await createStudy({ storage: 'memory:', sampler: make(seed) });
    const bests: number[] = [];
    let best = Infinity;
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    let lastStart = 0;
    await study.optimize(fn.objective, {
      nTrials: N_TRIALS,
      callbacks: [
        (_s, t) => {
          if (t.value !== undefined && t.value < best) best = t.value;
          if (CHECKPOINTS.includes(t.number + 1)) bests.push(best);
          if (t.number + 1 === N_TRIALS - 10) lastStart = performance.now();
        },
      ],
    });
    const c = process.cpuUsage(c0);
    cost.wall.push((performance.now() - w0) / 1000);
    cost.cpu.push((c.user + c.system) / 1e6);
    cost.lastTrialsMs.push((performance.now() - lastStart) / 10);
    runs.push(bests);
  }
  COSTS.set(`${fn.name}/${name}`, cost);
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
    for sname, make in [${RUN_SAMPLERS.filter((s) => s.python !== '').map((s) => `(${JSON.stringify(s.name)}, lambda seed: ${s.python})`).join(', ')}]:
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

/** Optuna 4.9's GPSampler (from the source export at `root`, with the torch 1.13 shim) on the same seeds. */
function optuna49Script(functions: readonly string[]): string {
  return `
import json, sys, warnings
sys.path.insert(0, ${JSON.stringify(`${projectRoot()}/../shared/anchors/optuna4`)})
warnings.simplefilter("ignore")
import optuna
assert optuna.__version__.startswith("4.9"), "TUNELAB_OPTUNA49 holds Optuna " + optuna.__version__
optuna.logging.set_verbosity(optuna.logging.ERROR)
import torch_shim
torch_shim.install()
${PYTHON_FUNCTIONS}
import time
out = {}
for fname in ${JSON.stringify(functions)}:
    runs = []
    seconds = []
    for seed in ${JSON.stringify(SEEDS)}:
        study = optuna.create_study(sampler=optuna.samplers.GPSampler(seed=seed))
        t0 = time.perf_counter()
        study.optimize(FUNCTIONS[fname], n_trials=${Math.min(N_TRIALS, 100)})
        seconds.append(time.perf_counter() - t0)
        vals = [t.value for t in study.trials]
        runs.append([min(vals[:c]) for c in ${JSON.stringify(CHECKPOINTS.filter((c) => c <= 100))}])
    out[fname] = {"runs": runs, "seconds": seconds}
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
  const liveFunctions = live === 'none' || !optuna.version ? [] : RUN_FUNCTIONS.filter((f) => live === 'all' || f.heldBack || !ANCHORS_APPLY).map((f) => f.name);
  const started = Date.now();
  const pythonRun = liveFunctions.length > 0 ? runPython(pythonScript(liveFunctions)).then((s) => JSON.parse(s) as Record<string, Record<string, Runs>>) : undefined;
  pythonRun?.catch(() => undefined);
  const ours = new Map<string, Runs>();
  for (const fn of RUN_FUNCTIONS) for (const s of RUN_SAMPLERS) ours.set(`${fn.name}/${s.name}`, await runOurs(fn, s.name, s.make));
  const oursSeconds = (Date.now() - started) / 1000;
  // Optuna 4.9's GP starts once ours and Optuna 3.1 are done, so its seconds per study are timed on
  // an otherwise idle machine, as ours were (beside Optuna 3.1's single thread at most).
  await pythonRun?.catch(() => undefined);
  const optuna49 = process.env['TUNELAB_OPTUNA49'];
  const gpFunctions = RUN_FUNCTIONS.filter((f) => MINIMA[f.name] !== undefined).map((f) => f.name);
  const gp49Run = optuna49 && gpFunctions.length > 0 ? runPython(optuna49Script(gpFunctions), { PYTHONPATH: optuna49 }).then((s) => JSON.parse(s) as Record<string, LiveGP>) : undefined;
  gp49Run?.catch(() => undefined);
  let liveResults: Record<string, Record<string, Runs>> = {};
  const liveScope = live === 'none' ? 'not run: TUNELAB_BENCH_LIVE=none' : ANCHORS_APPLY && live !== 'all' ? 'held-back functions only unless TUNELAB_BENCH_LIVE=all' : 'every function run';
  let liveNote = optuna.version ? `live Optuna ${optuna.version} (${PYTHON_NOTE}, ${liveScope})` : `live Optuna not run: ${optuna.reason}`;
  if (pythonRun) {
    try {
      liveResults = await pythonRun;
    } catch (error) {
      liveNote = `live Optuna failed: ${(error as Error).message}`;
    }
  }
  const anchors = ANCHORS_APPLY ? anchorRows() : undefined;

  console.log(`\n## Best value so far (median [q25–q75] over seeds ${SEEDS[0]}..${SEEDS[SEEDS.length - 1]}, ${N_TRIALS} trials, minimisation)\n`);
  const anchorNote = !ANCHORS_APPLY ? 'not used (they hold seeds 0..9)' : anchors ? ANCHORS_PATH : `anchors not found at ${ANCHORS_PATH} (relative to the project root)`;
  console.log(`tunelab: ${oursSeconds.toFixed(1)} s for all runs. Anchors: ${anchorNote}. ${liveNote}. Load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`);
  console.log(row(['function', 'sampler', 'source', ...CHECKPOINTS.map((c) => `after ${c}`)]));
  console.log(row(['---', '---', '---', ...CHECKPOINTS.map(() => '---')]));
  const verdicts: string[] = [];
  for (const fn of RUN_FUNCTIONS) {
    for (const s of RUN_SAMPLERS) {
      const runs = ours.get(`${fn.name}/${s.name}`) as Runs;
      console.log(row([fn.name, s.name, 'tunelab', ...CHECKPOINTS.map((_, i) => summary(columnOf(runs, i)))]));
      const anchorName = s.name.replace(' normalized', '');
      const anchor = anchors?.find((r) => r[0] === fn.name && r[1] === anchorName);
      if (anchor && anchorName === s.name) console.log(row([fn.name, s.name, 'optuna 3.1 (anchors)', ...anchor.slice(2, 6)]));
      const liveRuns = liveResults[fn.name]?.[anchorName];
      if (liveRuns && anchorName === s.name) {
        console.log(row([fn.name, s.name, `optuna ${optuna.version} (live)`, ...CHECKPOINTS.map((_, i) => summary(columnOf(liveRuns, i)))]));
        if (!ANCHORS_APPLY) console.log(row([fn.name, s.name, 'P(tunelab better), p', ...CHECKPOINTS.map((_, i) => testCell(columnOf(runs, i), columnOf(liveRuns, i)))]));
      }
      // The goal is about TPE at Optuna 3.1's defaults; the normalised rows are Optuna >= 3.5's
      // scoring, shown for comparison, not judged against 3.1.
      if (s.name === 'random' || anchorName !== s.name) continue;
      for (const [ci, c] of [[2, 100], [3, 200]] as const) {
        if (ci >= CHECKPOINTS.length) continue; // --trials below this checkpoint
        const mine = percentile(columnOf(runs, ci), 50);
        const ref = anchor ? Number((anchor[2 + ci] as string).split(' ')[0]) : liveRuns ? percentile(columnOf(liveRuns, ci), 50) : undefined;
        if (ref === undefined) continue;
        // With live runs of the same seeds, say how likely the gap is under "same algorithm".
        const test = !anchor && liveRuns ? mannWhitney(columnOf(runs, ci), columnOf(liveRuns, ci)) : undefined;
        const testNote = test ? `; P(tunelab better) ${test.pBetter.toFixed(2)}, Mann–Whitney p ${fmt(test.p)}` : '';
        verdicts.push(`${mine <= ref ? 'met ' : 'MISSED'} ${fn.name} / ${s.name} after ${c}: tunelab median ${summaryNumber(mine)} vs Optuna ${summaryNumber(ref)} (${anchor ? 'anchors' : 'live'}${testNote})`);
      }
    }
  }
  console.log('\n## Goal: TPE median no worse than Optuna after 100 and after 200 trials\n');
  for (const v of verdicts) console.log(`- ${v}`);
  let gp49: Record<string, LiveGP> | undefined;
  try {
    gp49 = await gp49Run;
  } catch (error) {
    console.log(`\nOptuna 4.9 GPSampler (live) failed: ${(error as Error).message}`);
  }
  printRegrets(ours, gp49);
  printCosts(gp49);
  if (ARGS['gp-cost-at'] !== undefined) await printGpCostAt(ARGS['gp-cost-at']);
}

/** Median regret [q25–q75] of our rows beside Optuna 4.9's GP / CMA-ES / TPE anchors, and the AutoSampler goal. */
function printRegrets(ours: ReadonlyMap<string, Runs>, gp49?: Readonly<Record<string, LiveGP>>): void {
  const anchors4 = ANCHORS_APPLY ? optuna4Rows() : undefined;
  const cps = CHECKPOINTS.filter((c) => c <= 100);
  const source4 = [anchors4 ? OPTUNA4_ANCHORS_PATH : 'anchors not used or not found', gp49 ? 'GPSampler live from TUNELAB_OPTUNA49' : 'no live GPSampler (TUNELAB_OPTUNA49 unset)'].join('; ');
  console.log(`\n## Regret (best − minimum), median [q25–q75] over seeds ${SEEDS[0]}..${SEEDS[SEEDS.length - 1]}, beside Optuna 4.9 (${source4})\n`);
  console.log(row(['function', 'sampler', 'source', ...cps.map((c) => `regret@${c}`)]));
  console.log(row(['---', '---', '---', ...cps.map(() => '---')]));
  const goals: string[] = [];
  for (const fn of RUN_FUNCTIONS) {
    const min = MINIMA[fn.name];
    if (min === undefined) continue;
    for (const s of RUN_SAMPLERS) {
      const runs = ours.get(`${fn.name}/${s.name}`) as Runs;
      console.log(row([fn.name, s.name, 'tunelab', ...cps.map((_, i) => summary(columnOf(runs, i).map((v) => v - min)))]));
    }
    const theirs = anchors4?.filter((r) => r[0] === fn.name) ?? [];
    for (const r of theirs) console.log(row([fn.name, r[1] as string, 'optuna 4.9 (anchors)', ...cps.map((c) => ({ 25: r[2], 50: r[3], 100: r[4] })[c as 25 | 50 | 100] ?? '')]));
    const live = gp49?.[fn.name]?.runs;
    if (live) {
      const liveRegret = (i: number): number[] => columnOf(live, i).map((v) => v - min);
      console.log(row([fn.name, 'gp', 'optuna 4.9 (live)', ...cps.map((_, i) => summary(liveRegret(i)))]));
      for (const s of RUN_SAMPLERS.filter((x) => x.name === 'gp' || x.name === 'auto')) {
        const runs = ours.get(`${fn.name}/${s.name}`) as Runs;
        console.log(row([fn.name, s.name, 'P(tunelab better), p vs live GP', ...cps.map((_, i) => testCell(columnOf(runs, i), columnOf(live, i)))]));
        for (const c of [50, 100]) {
          const i = cps.indexOf(c);
          if (i < 0) continue;
          const mine = percentile(columnOf(runs, i).map((v) => v - min), 50);
          const ref = percentile(liveRegret(i), 50);
          const test = mannWhitney(columnOf(runs, i), columnOf(live, i));
          goals.push(`${mine <= ref ? 'met ' : 'MISSED'} ${fn.name} / ${s.name} after ${c}: median regret ${fmt(mine)} vs Optuna 4.9 GP live ${fmt(ref)} over ${SEEDS.length} seeds (Mann–Whitney p ${test.p.toFixed(2)})`);
        }
      }
    }
    const auto = ours.get(`${fn.name}/auto`);
    const at = (name: string, c: number): number | undefined => {
      const r = theirs.find((x) => x[1] === name);
      const cell = r?.[({ 25: 2, 50: 3, 100: 4 } as Record<number, number>)[c] as number];
      return cell === undefined ? undefined : Number(cell);
    };
    for (const c of [50, 100]) {
      const i = cps.indexOf(c);
      const gp = at('gp', c);
      const cma = at('cmaes', c);
      if (!auto || i < 0 || gp === undefined || cma === undefined) continue;
      // At 50 trials the goal applies where Optuna's GP leads.
      if (c === 50 && !(gp < cma)) continue;
      const mine = percentile(columnOf(auto, i).map((v) => v - min), 50);
      const ref = Math.min(gp, cma);
      goals.push(`${mine <= ref ? 'met ' : 'MISSED'} ${fn.name} / auto after ${c}: median regret ${fmt(mine)} vs best of Optuna 4.9 GP (${fmt(gp)}) and CMA-ES (${fmt(cma)})`);
    }
  }
  if (goals.length > 0) {
    console.log('\n## Goal: AutoSampler median regret no worse than the best of Optuna 4.9 GP and CMA-ES (after 100; after 50 where GP leads)\n');
    for (const g of goals) console.log(`- ${g}`);
  }
}

function printCosts(gp49?: Readonly<Record<string, LiveGP>>): void {
  console.log(`\n## Cost per ${N_TRIALS}-trial study (median over seeds; CPU is this process's, wall includes waiting on a loaded machine)\n`);
  const gpTrials = Math.min(N_TRIALS, 100);
  console.log(row(['function', 'sampler', 'wall s', 'CPU s', `ms per trial, trials ${N_TRIALS - 9}..${N_TRIALS}`, `Optuna 4.9 GP wall s (${gpTrials} trials, live)`, 'Optuna 4.9 / tunelab']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---']));
  for (const [key, c] of COSTS) {
    const [fn, name] = key.split('/') as [string, string];
    const live = name === 'gp' && N_TRIALS === gpTrials ? gp49?.[fn]?.seconds : undefined;
    const liveWall = live ? percentile(live, 50) : undefined;
    const ours = percentile(c.wall, 50);
    console.log(row([fn, name, fmt(ours), fmt(percentile(c.cpu, 50)), fmt(percentile(c.lastTrialsMs, 50)), liveWall === undefined ? '' : fmt(liveWall), liveWall === undefined ? '' : `${(liveWall / ours).toFixed(1)}×`]));
  }
}

/**
 * What one GP trial costs once a study holds n finished trials (`--gp-cost-at 100,200,500`): the
 * first n trials are the start-up's Sobol points (cheap), then 5 GP trials are timed. Their fit
 * starts cold (no stored kernel), so this is an upper bound for a study that grew to n with the GP.
 */
async function printGpCostAt(list: string): Promise<void> {
  const sizes = list.split(',').map((v) => Number(v.trim()));
  for (const n of sizes) if (!Number.isInteger(n) || n < 1) throw new Error(`--gp-cost-at takes whole numbers of trials, e.g. 100,500; got ${JSON.stringify(list)}`);
  console.log(`\n## GP cost per trial after n finished trials (${RUN_FUNCTIONS[0]?.name ?? 'branin'}, 5 trials timed, cold fit; AutoSampler hands over to TPE at ${GP_MAX_TRIALS})\n`);
  console.log(row(['finished trials', 'ms per GP trial']));
  console.log(row(['---', '---']));
  const fn = RUN_FUNCTIONS[0] ?? (FUNCTIONS[0] as BenchFunction);
  for (const n of sizes) {
    const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 0, nStartupTrials: n }) });
    await study.optimize(fn.objective, { nTrials: n });
    const t0 = performance.now();
    await study.optimize(fn.objective, { nTrials: 5 });
    console.log(row([String(n), fmt((performance.now() - t0) / 5)]));
  }
}

/** Mann–Whitney of the two columns: P(tunelab better) (0.5 = no difference) and the two-sided p. */
function testCell(ours: readonly number[], theirs: readonly number[]): string {
  const t = mannWhitney(ours, theirs);
  return `${t.pBetter.toFixed(2)}, p ${fmt(t.p)}`;
}

const PYTHON_NOTE = 'Debian /usr/bin/python3';

function summaryNumber(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

await main();
