// Several objectives: hypervolume of the Pareto front after 100/200/300 trials on ZDT1 (6-d) and a
// constrained two-objective problem, seeds 0..9, for NSGA-II, multi-objective TPE, Auto and Random,
// beside Optuna 3.1's NSGAIISampler and TPESampler run live (Debian's python3-optuna) in the same run.
// Run: npm run build && npm run bench:multiobjective [-- --trials 300 --seeds 10]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { AutoSampler, createStudy, NSGAIISampler, RandomSampler, TPESampler, type FrozenTrial, type Sampler, type Trial } from '../src/index.js';
import { hypervolume } from '../src/search/samplers/tpe/motpe.js';
import { optunaVersion, runPython } from './lib/python.js';
import { fmt, mannWhitney, percentile } from './lib/stats.js';

const ARGS = parseArgs({ options: { seeds: { type: 'string', default: '10' }, trials: { type: 'string', default: '300' } } }).values;
const SEEDS = Array.from({ length: Number(ARGS.seeds) }, (_, i) => i);
const N_TRIALS = Number(ARGS.trials);
if (!Number.isInteger(N_TRIALS) || N_TRIALS < 100) throw new Error(`--trials must be a whole number >= 100, got ${ARGS.trials}`);
const CHECKPOINTS = [100, 200, 300, 500, 1000].filter((c) => c <= N_TRIALS);

interface Problem {
  readonly name: string;
  readonly reference: readonly number[];
  readonly objective: (t: Trial) => number[];
  readonly constraints?: (t: FrozenTrial) => number[];
  readonly python: string;
}

const PROBLEMS: readonly Problem[] = [
  {
    name: 'zdt1',
    reference: [1.1, 11],
    objective: (t) => {
      const x = Array.from({ length: 6 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
      const g = 1 + (9 / 5) * x.slice(1).reduce((a, b) => a + b, 0);
      return [x[0] as number, g * (1 - Math.sqrt((x[0] as number) / g))];
    },
    python: `def zdt1(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    g = 1 + 9 / 5 * sum(x[1:])
    return x[0], g * (1 - math.sqrt(x[0] / g))`,
  },
  {
    // Binh and Korn: two objectives, two constraints; feasible points only count towards the front.
    name: 'binh-korn',
    reference: [140, 50],
    objective: (t) => {
      const x = t.suggestFloat('x', 0, 5);
      const y = t.suggestFloat('y', 0, 3);
      return [4 * x * x + 4 * y * y, (x - 5) ** 2 + (y - 5) ** 2];
    },
    constraints: (t) => {
      const x = t.params['x'] as number;
      const y = t.params['y'] as number;
      return [(x - 5) ** 2 + y * y - 25, 7.7 - (x - 8) ** 2 - (y + 3) ** 2];
    },
    python: `def binh_korn(trial):
    x = trial.suggest_float("x", 0, 5)
    y = trial.suggest_float("y", 0, 3)
    return 4 * x * x + 4 * y * y, (x - 5) ** 2 + (y - 5) ** 2
def binh_korn_constraints(t):
    x, y = t.params["x"], t.params["y"]
    return [(x - 5) ** 2 + y * y - 25, 7.7 - (x - 8) ** 2 - (y + 3) ** 2]`,
  },
];

type Make = (seed: number, constraints?: (t: FrozenTrial) => number[]) => Sampler;
const SAMPLERS: readonly { name: string; python: string; make: Make }[] = [
  { name: 'nsga2', python: 'optuna.samplers.NSGAIISampler(seed=seed, constraints_func=cf)', make: (seed, c) => new NSGAIISampler({ seed, ...(c ? { constraintsFunc: c } : {}) }) },
  { name: 'tpe', python: 'optuna.samplers.TPESampler(seed=seed, constraints_func=cf)', make: (seed, c) => new TPESampler({ seed, ...(c ? { constraintsFunc: c } : {}) }) },
  { name: 'auto', python: '', make: (seed, c) => new AutoSampler({ seed, ...(c ? { constraintsFunc: c } : {}) }) },
  { name: 'random', python: 'optuna.samplers.RandomSampler(seed=seed)', make: (seed) => new RandomSampler({ seed }) },
];

/** Hypervolume of the feasible non-dominated points among the first n trials, per checkpoint. */
function hypervolumes(trials: readonly { values: readonly number[] | undefined; feasible: boolean }[], reference: readonly number[]): number[] {
  return CHECKPOINTS.map((n) => {
    const points = trials.slice(0, n).filter((t) => t.feasible && t.values !== undefined).map((t) => t.values as number[]).filter((v) => v.every((x, i) => x < (reference[i] as number)));
    return points.length === 0 ? 0 : hypervolume(points, reference);
  });
}

async function runOurs(problem: Problem, make: Make): Promise<{ runs: number[][]; msPerTrial: number }> {
  const runs: number[][] = [];
  let ms = 0;
  for (const seed of SEEDS) {
    const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: make(seed, problem.constraints) });
    const t0 = performance.now();
    await study.optimize(problem.objective, { nTrials: N_TRIALS });
    ms += (performance.now() - t0) / N_TRIALS;
    const feasible = (t: FrozenTrial): boolean => problem.constraints === undefined || problem.constraints(t).every((v) => v <= 0);
    runs.push(hypervolumes(study.trials.map((t) => ({ values: t.values, feasible: t.state === 'COMPLETE' && feasible(t) })), problem.reference));
  }
  return { runs, msPerTrial: ms / SEEDS.length };
}

function pythonScript(): string {
  return `
import json, math, time, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
${PROBLEMS.map((p) => p.python).join('\n')}
problems = {"zdt1": (zdt1, None), "binh-korn": (binh_korn, binh_korn_constraints)}
out = {}
for pname, (objective, cf) in problems.items():
    for sname, make in [${SAMPLERS.filter((s) => s.python !== '').map((s) => `(${JSON.stringify(s.name)}, lambda seed, cf: ${s.python})`).join(', ')}]:
        runs = []
        ms = 0.0
        for seed in ${JSON.stringify(SEEDS)}:
            study = optuna.create_study(directions=["minimize", "minimize"], sampler=make(seed, cf))
            t0 = time.perf_counter()
            study.optimize(objective, n_trials=${N_TRIALS})
            ms += (time.perf_counter() - t0) * 1000 / ${N_TRIALS}
            runs.append([[t.values, cf is None or all(v <= 0 for v in cf(t))] for t in study.trials])
        out.setdefault(pname, {})[sname] = {"trials": runs, "ms": ms / ${SEEDS.length}}
print(json.dumps(out))
`;
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

async function main(): Promise<void> {
  const optuna = optunaVersion();
  const pythonRun = optuna.version ? runPython(pythonScript()).then((s) => JSON.parse(s) as Record<string, Record<string, { trials: [number[] | null, boolean][][]; ms: number }>>) : undefined;
  pythonRun?.catch(() => undefined);
  const ours = new Map<string, { runs: number[][]; msPerTrial: number }>();
  for (const p of PROBLEMS) for (const s of SAMPLERS) ours.set(`${p.name}/${s.name}`, await runOurs(p, s.make));
  const live = pythonRun === undefined ? undefined : await pythonRun;

  console.log(`\nHypervolume of the feasible Pareto front (higher is better), median over seeds 0..${SEEDS.length - 1}; ${N_TRIALS} trials; load average ${loadavg()[0]!.toFixed(2)}`);
  console.log(optuna.version ? `Reference: Optuna ${optuna.version}, run live in this benchmark.` : `Reference: none (${optuna.reason ?? 'python3-optuna missing'}).`);
  const head = ['problem', 'sampler', ...CHECKPOINTS.map((c) => `HV@${c} ours`), ...CHECKPOINTS.map((c) => `HV@${c} Optuna`), `ours / Optuna @${N_TRIALS}`, 'P(ours larger)', 'ms/trial ours', 'ms/trial Optuna'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map(() => '---').join(' | ')} |`);
  for (const p of PROBLEMS) {
    for (const s of SAMPLERS) {
      const mine = ours.get(`${p.name}/${s.name}`)!;
      const theirs = live?.[p.name]?.[s.name];
      const theirRuns = theirs?.trials.map((run) => hypervolumes(run.map(([values, feasible]) => ({ values: values ?? undefined, feasible: values !== null && feasible })), p.reference));
      const last = CHECKPOINTS.length - 1;
      const col = (runs: number[][], i: number): number[] => runs.map((r) => r[i] as number);
      const cells = [
        p.name,
        s.name,
        ...CHECKPOINTS.map((_, i) => fmt(median(col(mine.runs, i)))),
        ...CHECKPOINTS.map((_, i) => (theirRuns ? fmt(median(col(theirRuns, i))) : '—')),
        theirRuns ? (median(col(mine.runs, last)) / median(col(theirRuns, last))).toFixed(3) : '—',
        theirRuns ? ((r) => `${r.pBetter.toFixed(2)} (p ${r.p.toFixed(2)})`)(mannWhitney(col(mine.runs, last).map((v) => -v), col(theirRuns, last).map((v) => -v))) : '—',
        mine.msPerTrial.toFixed(2),
        theirs ? theirs.ms.toFixed(2) : '—',
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
}

await main();
