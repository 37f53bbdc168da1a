import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HyperbandPruner,
  MedianPruner,
  PercentilePruner,
  SuccessiveHalvingPruner,
  type Direction,
  type Pruner,
} from '../../../src/index.js';
import { runLearningCurves, type LearningCurve } from '../../../src/testing/index.js';
import { requireOrSkip } from '../../helpers/require.js';

// The same learning curves go through Debian's python3-optuna (ask/tell, report/should_prune)
// and through tunelab's pruners; every shouldPrune answer, every final state and every
// completed_rung_N attribute must match.

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
const optunaVersion = probe.status === 0 ? probe.stdout.trim() : undefined;
const optunaMissing = optunaVersion === undefined ? `${PYTHON} cannot import optuna (apt-get install -y python3-optuna)` : undefined;

const SCRIPT = String.raw`
import json, math, re, sys
import optuna
from optuna.trial import TrialState
optuna.logging.set_verbosity(optuna.logging.ERROR)

def num(v):
    return float(v)

def out(v):
    if isinstance(v, float) and not math.isfinite(v):
        return 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')
    return v

def snake(k):
    return re.sub('([A-Z])', lambda m: '_' + m.group(1).lower(), k)

def make(spec):
    kw = {snake(k): v for k, v in spec['options'].items()}
    return {
        'median': optuna.pruners.MedianPruner,
        'percentile': optuna.pruners.PercentilePruner,
        'sha': optuna.pruners.SuccessiveHalvingPruner,
        'hyperband': optuna.pruners.HyperbandPruner,
    }[spec['kind']](**kw)

results = []
for case in json.load(open(sys.argv[1])):
    study = optuna.create_study(study_name=case['studyName'], direction=case['direction'], pruner=make(case['pruner']))
    trials = []
    for curve in case['curves']:
        values = [num(v) for v in curve['values']]
        t = study.ask()
        decisions = []
        pruned = False
        for step, v in enumerate(values):
            t.report(v, step)
            p = t.should_prune()
            decisions.append(bool(p))
            if p:
                study.tell(t, state=TrialState.PRUNED)
                pruned = True
                break
        if not pruned:
            if curve['fail']:
                study.tell(t, state=TrialState.FAIL)
            else:
                study.tell(t, values[-1] if values else 0.0)
        trials.append({'number': t.number, 'decisions': decisions})
    for rec, ft in zip(trials, study.get_trials(deepcopy=False)):
        rec['state'] = ft.state.name
        rec['rungs'] = {k: out(v) for k, v in ft.system_attrs.items() if k.startswith('completed_rung_')}
    results.append(trials)
json.dump(results, sys.stdout)
`;

type PrunerSpec =
  | { kind: 'median'; options: ConstructorParameters<typeof MedianPruner>[0] & object }
  | { kind: 'percentile'; options: ConstructorParameters<typeof PercentilePruner>[0] }
  | { kind: 'sha'; options: ConstructorParameters<typeof SuccessiveHalvingPruner>[0] & object }
  | { kind: 'hyperband'; options: ConstructorParameters<typeof HyperbandPruner>[0] & object };

interface Case {
  readonly title: string;
  readonly studyName: string;
  readonly direction: Direction;
  readonly pruner: PrunerSpec;
  readonly curves: readonly { readonly values: readonly number[]; readonly fail: boolean }[];
}

function build(spec: PrunerSpec): Pruner {
  switch (spec.kind) {
    case 'median':
      return new MedianPruner(spec.options);
    case 'percentile':
      return new PercentilePruner(spec.options);
    case 'sha':
      return new SuccessiveHalvingPruner(spec.options);
    case 'hyperband':
      return new HyperbandPruner(spec.options);
  }
}

/** A small seeded generator, so the curves are fixed but varied. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Decaying losses with noise: level + scale·exp(−step/tau); the sign flips them for maximize. */
function family(seed: number, n: number, steps: number, sign = 1): { values: number[]; fail: boolean }[] {
  const rand = lcg(seed);
  return Array.from({ length: n }, () => {
    const level = rand() * 2;
    const scale = 1 + rand() * 4;
    const tau = 2 + rand() * 10;
    const values = Array.from({ length: steps }, (_, s) => sign * (level + scale * Math.exp(-s / tau) + (rand() - 0.5) * 0.3));
    return { values, fail: false };
  });
}

const c = (values: readonly number[], fail = false): { values: readonly number[]; fail: boolean } => ({ values, fail });

const CASES: Case[] = [
  {
    title: 'MedianPruner defaults, minimize, with NaN reports, a FAIL trial and an all-NaN trial',
    studyName: 'xcheck-median',
    direction: 'minimize',
    pruner: { kind: 'median', options: {} },
    curves: [
      ...family(1, 6, 12),
      c([5, 4, Number.NaN, 3, 2.5, 2, 1.8, 1.7, 1.6, 1.5, 1.4, 1.3]),
      c([0.5, 0.4, 0.3], true),
      c([Number.NaN, Number.NaN, Number.NaN]),
      c([9, 0.1, 0.05, 0.04]),
      ...family(2, 10, 12),
      c([Number.POSITIVE_INFINITY, 3, 2, 1]),
    ],
  },
  {
    title: 'PercentilePruner 25, maximize, warmup 3, interval 2, nMinTrials 3, 2 startup trials, curves of several lengths',
    studyName: 'xcheck-percentile',
    direction: 'maximize',
    pruner: { kind: 'percentile', options: { percentile: 25, nStartupTrials: 2, nWarmupSteps: 3, intervalSteps: 2, nMinTrials: 3 } },
    curves: [
      ...family(3, 4, 15, -1),
      ...family(4, 5, 8, -1),
      c([-1, -0.5, Number.NaN, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4]),
      ...family(5, 12, 15, -1),
    ],
  },
  {
    title: 'PercentilePruner 80, minimize, interval 3',
    studyName: 'xcheck-percentile-80',
    direction: 'minimize',
    pruner: { kind: 'percentile', options: { percentile: 80, nStartupTrials: 3, intervalSteps: 3 } },
    curves: family(6, 25, 14),
  },
  {
    title: "SuccessiveHalvingPruner defaults (minResource 'auto', η 4), minimize",
    studyName: 'xcheck-sha',
    direction: 'minimize',
    pruner: { kind: 'sha', options: {} },
    curves: [...family(7, 30, 20), c([1, Number.NaN, 0.5]), c([0, -1, Number.NEGATIVE_INFINITY, -2]), ...family(8, 10, 20)],
  },
  {
    title: 'SuccessiveHalvingPruner minResource 2, η 2, minEarlyStoppingRate 1, bootstrapCount 1, maximize',
    studyName: 'xcheck-sha-2',
    direction: 'maximize',
    pruner: { kind: 'sha', options: { minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1, bootstrapCount: 1 } },
    curves: [...family(9, 30, 18, -1), c([-3, -2, -1, -0.5, -0.1], true), ...family(10, 10, 18, -1)],
  },
  {
    title: "HyperbandPruner defaults (maxResource 'auto', η 3), minimize",
    studyName: 'xcheck-hyperband',
    direction: 'minimize',
    pruner: { kind: 'hyperband', options: {} },
    curves: [...family(11, 60, 27), c([2, Number.NaN, 1, 0.5, 0.2, 0.1, 0.05, 0.01, 0, -1])],
  },
  {
    title: 'HyperbandPruner minResource 2, maxResource 32, η 2, bootstrapCount 1, maximize',
    studyName: 'xcheck-hyperband-2',
    direction: 'maximize',
    pruner: { kind: 'hyperband', options: { minResource: 2, maxResource: 32, reductionFactor: 2, bootstrapCount: 1 } },
    curves: family(12, 60, 32, -1),
  },
];

interface Outcome {
  readonly number: number;
  readonly state: string;
  readonly decisions: readonly boolean[];
  readonly rungs: Readonly<Record<string, number | string>>;
}

// Non-finite values cross to Python as strings, which float() reads back.
const toJson = (cases: readonly Case[]): string =>
  JSON.stringify(cases, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

describe.skipIf(requireOrSkip(optunaMissing))(`tunelab pruners decide as Optuna ${optunaVersion ?? '(absent)'} does`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunelab-pruner-xcheck-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let optuna: Outcome[][] | undefined;

  const optunaOutcomes = (): Outcome[][] => {
    if (optuna !== undefined) return optuna;
    writeFileSync(join(dir, 'xcheck.py'), SCRIPT);
    writeFileSync(join(dir, 'cases.json'), toJson(CASES));
    const run = spawnSync(PYTHON, [join(dir, 'xcheck.py'), join(dir, 'cases.json')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
    optuna = JSON.parse(run.stdout) as Outcome[][];
    return optuna;
  };

  CASES.forEach((testCase, index) => {
    it(testCase.title, async () => {
      const expected = optunaOutcomes()[index] as Outcome[];
      const curves: LearningCurve[] = testCase.curves.map((curve) => ({ values: curve.values, fail: curve.fail }));
      const { study, outcomes } = await runLearningCurves(build(testCase.pruner), curves, { direction: testCase.direction, studyName: testCase.studyName });
      const ours: Outcome[] = outcomes.map((o) => {
        const rungs: Record<string, number | string> = {};
        const attrs = study.trials[o.number]?.systemAttrs ?? {};
        for (const key of Object.keys(attrs)) if (key.startsWith('completed_rung_')) rungs[key] = attrs[key] as number | string;
        return { number: o.number, state: o.state, decisions: o.decisions, rungs };
      });
      expect(ours).toEqual(expected);
      // A cross-check that prunes nothing would prove little.
      expect(ours.some((o) => o.state === 'PRUNED')).toBe(true);
      expect(ours.some((o) => o.state === 'COMPLETE')).toBe(true);
    });
  });
});
