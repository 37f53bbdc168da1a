import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy, paramImportances, RandomSampler, type Study, type Trial } from '../../src/index.js';
import { treeImportances } from '../../src/render/importance/fanova.js';
import { fitForest, predictTree } from '../../src/render/importance/forest.js';
import { requireOrSkip } from '../helpers/require.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./fixtures/optuna_importance.py', import.meta.url));

function optunaAvailable(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import optuna, sklearn'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'python3-optuna or python3-sklearn is not installed (apt-get install -y python3-optuna python3-sklearn)';
}
const missing = optunaAvailable();

/** Optuna's importances for each study, from one python process (loading optuna takes seconds). */
function optunaImportances(studies: readonly Study[]): Record<string, number>[] {
  const specs = studies.map((study) => ({
    direction: study.direction,
    trials: study.trials.filter((t) => t.state === 'COMPLETE').map((t) => ({ params: t.params, distributions: t.distributions, value: t.value })),
  }));
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(specs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`optuna script failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { importances: Record<string, number>[] }).importances;
}

async function studyOf(objective: (t: Trial) => number, seed: number, nTrials = 80): Promise<Study> {
  const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed }) });
  await study.optimize(objective, { nTrials });
  return study;
}

const xDominates = (t: Trial): number => {
  const x = t.suggestFloat('x', -5, 5);
  const y = t.suggestFloat('y', -5, 5);
  const n = t.suggestInt('n', 1, 8);
  const opt = t.suggestCategorical('opt', ['adam', 'sgd', 'rmsprop']);
  return 4 * x * x + 0.3 * Math.abs(y) + 0.1 * n + (opt === 'sgd' ? 0.5 : 0);
};
const categoricalDominates = (t: Trial): number => {
  const lr = t.suggestFloat('lr', 1e-4, 1e-1, { log: true });
  const units = t.suggestInt('units', 8, 256, { log: true });
  const opt = t.suggestCategorical('opt', ['adam', 'sgd', 'rmsprop']);
  return ({ adam: 0, sgd: 10, rmsprop: 5 } as const)[opt] + 0.5 * Math.abs(Math.log10(lr) + 2) + units / 1000;
};

// Two parameters that both matter, so the shares are compared, not just the winner.
const mixed = (t: Trial): number => {
  const x = t.suggestFloat('x', -3, 3);
  const y = t.suggestFloat('y', -3, 3);
  const n = t.suggestInt('n', 1, 8);
  return x * x + 2 * Math.abs(y) + 0.2 * n;
};

describe('random forest', () => {
  it('fits a step function exactly with one tree on all the data', () => {
    const X = Array.from({ length: 20 }, (_, i) => Float64Array.of(i / 19, (i * 7) % 5));
    const y = X.map((x) => ((x[0] as number) > 0.5 ? 3 : -1));
    const [tree] = fitForest(X, y, { nTrees: 1, seed: 1 });
    // Bootstrap rows may miss some points, but both sides of the step are learnt.
    expect(predictTree(tree!, Float64Array.of(0.9, 0))).toBe(3);
    expect(predictTree(tree!, Float64Array.of(0.1, 0))).toBe(-1);
  });
});

describe('fANOVA on one tree', () => {
  it('gives all the variance to the only feature a tree splits on', () => {
    const X = Array.from({ length: 40 }, (_, i) => Float64Array.of(i / 39, ((i * 13) % 40) / 39));
    const y = X.map((x) => ((x[0] as number) < 0.3 ? 0 : 1));
    const [tree] = fitForest(X, y, { nTrees: 1, seed: 2 });
    const shares = treeImportances(tree!, [[0, 1], [0, 1]], [[0], [1]]);
    expect(shares?.[0]).toBeCloseTo(1, 10);
    expect(shares?.[1]).toBeCloseTo(0, 10);
  });

  it('splits variance of an additive function between its features (a + 2b on a grid)', () => {
    const X: Float64Array[] = [];
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) X.push(Float64Array.of((i + 0.5) / 8, (j + 0.5) / 8));
    const y = X.map((x) => (x[0] as number) + 2 * (x[1] as number));
    const [tree] = fitForest(X, y, { nTrees: 1, seed: 3 });
    const shares = treeImportances(tree!, [[0, 1], [0, 1]], [[0], [1]]) ?? [];
    // Var(a) : Var(2b) = 1 : 4; the bootstrap sample leaves the fitted tree only a little interaction.
    expect((shares[0] ?? 0) + (shares[1] ?? 0)).toBeGreaterThan(0.95);
    expect(shares[1]! / shares[0]!).toBeGreaterThan(2.5);
  });
});

describe('paramImportances', () => {
  it('ranks the dominating parameter first and the shares sum to 1', async () => {
    const ranked = paramImportances(await studyOf(xDominates, 11));
    expect(ranked[0]?.param).toBe('x');
    expect(ranked[0]?.importance).toBeGreaterThan(0.8);
    expect(ranked.reduce((s, p) => s + p.importance, 0)).toBeCloseTo(1, 10);
  });

  it('rates a categorical parameter through its one-hot columns', async () => {
    const ranked = paramImportances(await studyOf(categoricalDominates, 12));
    expect(ranked[0]?.param).toBe('opt');
  });

  it.skipIf(requireOrSkip(missing))("agrees with Optuna's get_param_importances on the top parameter (same trials)", async () => {
    const cases = [[xDominates, 21], [categoricalDominates, 22], [mixed, 23]] as const;
    const studies = await Promise.all(cases.map(([objective, seed]) => studyOf(objective, seed)));
    const optuna = optunaImportances(studies);
    for (const [i, study] of studies.entries()) {
      const seed = cases[i]?.[1];
      const ours = paramImportances(study);
      const theirs = optuna[i] ?? {};
      const theirTop = Object.entries(theirs).sort((a, b) => b[1] - a[1])[0]?.[0];
      console.log(`importances, seed ${seed}: tunelab ${ours.map((p) => `${p.param}=${p.importance.toFixed(3)}`).join(' ')} | optuna ${Object.entries(theirs).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(' ')}`);
      expect(ours[0]?.param).toBe(theirTop);
      // Both estimate the same quantity with different random forests: the top share is close.
      expect(Math.abs((ours[0]?.importance ?? 0) - (theirs[theirTop as string] ?? 0))).toBeLessThan(0.15);
    }
  }, 300_000); // CPU-bound Python on a shared 2-core machine: generous, so load slows it rather than failing it
});
