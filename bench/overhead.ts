// Sampler overhead: trivial objectives, 1000-trial studies in memory, for TPE and Random,
// beside Optuna run live (Debian's python3-optuna) and the anchors file's figures.
// Run: npm run build && npm run bench:overhead
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createStudy, RandomSampler, TPESampler, type Sampler, type Trial } from '../src/index.js';
import { anchorRows, ANCHORS_PATH } from './lib/anchors.js';
import { optunaVersion, runPython } from './lib/python.js';

const N_TRIALS = 1000;
// A short study first, on both sides, so the measured one sees a warmed-up JIT (in a notebook
// the first study pays compilation once; Python has nothing to warm but gets the same run).
const WARMUP_TRIALS = 200;

const OBJECTIVES: readonly { name: string; fn: (t: Trial) => number; python: string }[] = [
  { name: 'quad1', fn: (t) => t.suggestFloat('x', -10, 10) ** 2, python: 'lambda t: t.suggest_float("x", -10, 10) ** 2' },
  {
    name: 'sphere10',
    fn: (t) => {
      let s = 0;
      for (let i = 0; i < 10; i++) s += t.suggestFloat(`x${i}`, -10, 10) ** 2;
      return s;
    },
    python: 'lambda t: sum(t.suggest_float(f"x{i}", -10, 10) ** 2 for i in range(10))',
  },
];

// Measured studies per row, on both sides; the median is printed. A 1000-trial Random study lasts
// tens of milliseconds here, so one study is at the mercy of a single GC pause or descheduling.
// A TPE study lasts about a second here, yet the same seeded study varied from 1,660 to 2,310
// trials/s between runs (JIT tiers, GC), so it is measured three times too.
const SAMPLERS: readonly { name: string; make: () => Sampler; python: string; repeats: number }[] = [
  { name: 'tpe', make: () => new TPESampler({ seed: 0 }), python: 'optuna.samplers.TPESampler(seed=0)', repeats: 3 },
  { name: 'random', make: () => new RandomSampler({ seed: 0 }), python: 'optuna.samplers.RandomSampler(seed=0)', repeats: 7 },
];

interface Timing {
  readonly trialsPerSecond: number;
  readonly msLast100: number;
}

async function timeOurs(fn: (t: Trial) => number, make: () => Sampler, repeats: number): Promise<Timing> {
  const warmup = await createStudy({ storage: 'memory:', sampler: make() });
  await warmup.optimize(fn, { nTrials: WARMUP_TRIALS });
  const runs: Timing[] = [];
  for (let r = 0; r < repeats; r++) {
    const study = await createStudy({ storage: 'memory:', sampler: make() });
    const ends: number[] = [];
    const start = performance.now();
    await study.optimize(fn, { nTrials: N_TRIALS, callbacks: [() => void ends.push(performance.now())] });
    const total = (ends[ends.length - 1] as number) - start;
    runs.push({ trialsPerSecond: (N_TRIALS / total) * 1000, msLast100: ((ends[N_TRIALS - 1] as number) - (ends[N_TRIALS - 101] as number)) / 100 });
  }
  return medianTiming(runs);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function medianTiming(runs: readonly Timing[]): Timing {
  return { trialsPerSecond: median(runs.map((r) => r.trialsPerSecond)), msLast100: median(runs.map((r) => r.msLast100)) };
}

function pythonScript(): string {
  return `
import json, statistics, time, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
out = {}
for oname, fn in [${OBJECTIVES.map((o) => `(${JSON.stringify(o.name)}, ${o.python})`).join(', ')}]:
    for sname, make, repeats in [${SAMPLERS.map((s) => `(${JSON.stringify(s.name)}, lambda: ${s.python}, ${s.repeats})`).join(', ')}]:
        optuna.create_study(sampler=make()).optimize(fn, n_trials=${WARMUP_TRIALS})
        runs = []
        for _ in range(repeats):
            study = optuna.create_study(sampler=make())
            ends = []
            start = time.perf_counter()
            study.optimize(fn, n_trials=${N_TRIALS}, callbacks=[lambda s, t: ends.append(time.perf_counter())])
            runs.append((${N_TRIALS} / (ends[-1] - start), (ends[${N_TRIALS - 1}] - ends[${N_TRIALS - 101}]) / 100 * 1000))
        out[f"{oname}/{sname}"] = {"trialsPerSecond": statistics.median(r[0] for r in runs), "msLast100": statistics.median(r[1] for r in runs)}
print(json.dumps(out))
`;
}

function f(v: number | undefined, digits = 1): string {
  return v === undefined ? '–' : v.toFixed(digits);
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');

async function main(): Promise<void> {
  // Both sides share the machine with whatever else runs: the load says how noisy the figures are.
  const loadBefore = load();
  const optuna = optunaVersion();
  // Ours first, alone on the machine; then Optuna, so neither slows the other.
  const ours = new Map<string, Timing>();
  for (const o of OBJECTIVES) for (const s of SAMPLERS) ours.set(`${o.name}/${s.name}`, await timeOurs(o.fn, s.make, s.repeats));
  let live: Record<string, Timing> = {};
  let liveNote = `live Optuna ${optuna.version ?? ''}`;
  if (optuna.version) {
    try {
      live = JSON.parse(await runPython(pythonScript())) as Record<string, Timing>;
    } catch (error) {
      liveNote = `live Optuna failed: ${(error as Error).message}`;
    }
  } else {
    liveNote = `live Optuna not run: ${optuna.reason}`;
  }
  const anchors = anchorRows();

  console.log(`\n## Sampler overhead: ${N_TRIALS}-trial studies in memory, trivial objectives\n`);
  console.log(
    `Anchors: ${anchors ? ANCHORS_PATH : `anchors not found at ${ANCHORS_PATH} (relative to the project root)`}. ${liveNote}. tunelab on Node ${process.version}. Each row: a ${WARMUP_TRIALS}-trial warm-up study, then the median of ${SAMPLERS.map((x) => `${x.repeats} measured ${x.name} ${x.repeats === 1 ? 'study' : 'studies'}`).join(' / ')}, on both sides; tunelab runs first, then Optuna. ${availableParallelism()} cores, load average ${loadBefore} before, ${load()} after (1, 5, 15 min).\n`,
  );
  console.log('| study | tunelab trials/s | tunelab ms/trial (last 100) | optuna live trials/s | optuna live ms/trial (last 100) | optuna anchors trials/s | optuna anchors ms/trial (last 100) | speed-up vs live | goal ≥10× |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const o of OBJECTIVES) {
    for (const s of SAMPLERS) {
      const key = `${o.name}/${s.name}`;
      const mine = ours.get(key) as Timing;
      const ref = live[key];
      const anchor = anchors?.find((r) => r[0] === `${key}/${N_TRIALS}`);
      const base = ref?.trialsPerSecond ?? (anchor ? Number(anchor[1]) : undefined);
      const speedup = base === undefined ? undefined : mine.trialsPerSecond / base;
      console.log(
        `| ${key}/${N_TRIALS} | ${f(mine.trialsPerSecond)} | ${f(mine.msLast100, 3)} | ${f(ref?.trialsPerSecond)} | ${f(ref?.msLast100, 3)} | ${anchor?.[1] ?? '–'} | ${anchor?.[2] ?? '–'} | ${speedup === undefined ? '–' : `${speedup.toFixed(1)}×`} | ${speedup === undefined ? '–' : speedup >= 10 ? 'met' : 'MISSED'} |`,
      );
    }
  }
}

await main();
