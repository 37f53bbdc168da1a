import { describe, expect, it } from 'vitest';
import { hypervolume, hypervolumeWeights, nonDominatedRanks, referencePoint, selectByHypervolume, splitMultiObjective } from '../../../src/search/samplers/tpe/motpe.js';
import { Rng } from '../../../src/util/rng.js';
import { python, pythonMissing } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

describe('MOTPE pieces', () => {
  it('ranks points into non-dominated fronts', () => {
    const pts = [[1, 5], [2, 2], [5, 1], [3, 3], [4, 4], [6, 6]];
    expect([...nonDominatedRanks(pts)]).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('computes exact hypervolumes in 2 and 3 objectives', () => {
    expect(hypervolume([[1, 1]], [3, 3])).toBe(4);
    expect(hypervolume([[1, 2], [2, 1]], [3, 3])).toBe(3);
    expect(hypervolume([[1, 1, 1]], [2, 3, 4])).toBe(6);
    // three 2×1×1 boxes; each pair overlaps in a unit cube, all three in the same one: 6 - 3 + 1
    expect(hypervolume([[0, 1, 1], [1, 0, 1], [1, 1, 0]], [2, 2, 2])).toBe(4);
  });

  it('fills the good set front by front and cuts the last front by hypervolume', () => {
    const pts = [[1, 5], [2, 2], [5, 1], [3, 3], [4, 4], [6, 6]];
    expect([...splitMultiObjective(pts, 3)].sort()).toEqual([0, 1, 2]);
    expect([...splitMultiObjective(pts, 4)].sort()).toEqual([0, 1, 2, 3]);
    const cut = splitMultiObjective(pts, 2);
    expect(cut.size).toBe(2);
    for (const i of cut) expect([0, 1, 2]).toContain(i);
  });

  it('weights the good points by hypervolume contribution, the largest at 1', () => {
    const w = hypervolumeWeights([[1, 5], [2, 2], [5, 1]]);
    expect(Math.max(...w)).toBe(1);
    expect(w[1]).toBe(1);
    expect(w[0] as number).toBeLessThan(1);
  });

  it('computes the 1-objective hypervolume (a length), and leaves out points not strictly inside the reference', () => {
    expect(hypervolume([[3], [1], [2]], [5])).toBe(4);
    expect(hypervolume([[5], [6]], [5])).toBe(0);
    expect(hypervolume([], [5, 5])).toBe(0);
    expect(hypervolume([[1, 1], [1, 5], [6, 0]], [5, 5])).toBe(16);
    expect(hypervolume([[0, 0, 0], [0, 0, 3]], [1, 2, 3])).toBe(6);
  });

  it('puts the reference point at 1.1× the worst (0.9× where the worst is negative), and a zero worst at 1e−12', () => {
    expect(referencePoint([[1, -2, 0], [3, -5, -1]])).toEqual([1.1 * 3, 0.9 * -2, 1e-12]);
    expect(referencePoint([])).toEqual([]);
  });

  it('gives every good point a weight in (0, 1]: one point weighs 1, a duplicate (no contribution of its own) a tiny positive weight', () => {
    expect(Array.from(hypervolumeWeights([]))).toEqual([]);
    expect(Array.from(hypervolumeWeights([[2, 3]]))).toEqual([1]);
    const w = hypervolumeWeights([[1, 5], [1, 5], [3, 2]]);
    expect(w[2]).toBe(1);
    // Each copy adds nothing the other does not: its contribution is the 1e-12 floor, relative to the largest.
    expect(w[0]).toBeGreaterThan(0);
    expect(w[0]).toBeLessThan(1e-9);
    expect(w[0]).toBe(w[1]);
  });

  it.skipIf(requireOrSkip(pythonMissing))('matches Optuna 3.1 (WFG hypervolume, greedy HSSP, reference point)', () => {
    const rng = new Rng(9);
    const sets = [2, 3].map((m) => Array.from({ length: 12 }, () => Array.from({ length: m }, () => Number(rng.uniform(-1, 4).toFixed(3)))));
    const ref = python<{ hv: number[]; ref: number[][]; hssp: number[][] }>(`
import numpy as np
from optuna._hypervolume import WFG
from optuna._hypervolume.hssp import _solve_hssp
sets = [np.array(s) for s in ${JSON.stringify(sets)}]
refs = []
for s in sets:
    worst = np.max(s, axis=0); r = np.maximum(1.1 * worst, 0.9 * worst); r[r == 0] = 1e-12; refs.append(r)
print(json.dumps({"hv": [float(WFG().compute(s, r)) for s, r in zip(sets, refs)], "ref": [r.tolist() for r in refs],
  "hssp": [sorted(_solve_hssp(s, np.arange(len(s)), 4, r).tolist()) for s, r in zip(sets, refs)]}))`);
    sets.forEach((s, i) => {
      const r = referencePoint(s);
      expect(r).toEqual(ref.ref[i]);
      expect(Math.abs(hypervolume(s, r) - (ref.hv[i] as number))).toBeLessThan(1e-9);
      expect(selectByHypervolume(s, 4, r).sort((a, b) => a - b)).toEqual(ref.hssp[i]);
    });
  });
});
