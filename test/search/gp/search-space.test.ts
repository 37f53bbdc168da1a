import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPSearchSpace } from '../../../src/search/samplers/gp/search-space.js';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../../src/trial/distributions.js';

// Optuna 4's optuna/_gp/search_space.py: a stepped range [low, high] maps from [low − step/2,
// high + step/2] (in log space for log ranges), so each grid value owns a cell of equal width.
describe('GPSearchSpace, value by value as Optuna 4', () => {
  const space = new GPSearchSpace({
    f: floatDistribution('f', -3, 5),
    l: floatDistribution('l', 1e-4, 1, { log: true }),
    n: intDistribution('n', 2, 10, { step: 2 }),
    u: intDistribution('u', 1, 100, { log: true }),
    c: categoricalDistribution('c', ['a', 'b', 'c', 'd']),
    one: intDistribution('one', 7, 7),
    flat: floatDistribution('flat', 2, 2),
  });

  it('sorts dimensions into continuous (unstepped floats) and discrete (ints, stepped floats, categoricals)', () => {
    expect(space.dim).toBe(7);
    expect(Array.from(space.continuous)).toEqual([0, 1, 6]);
    expect(Array.from(space.discrete)).toEqual([2, 3, 4, 5]);
    expect(Array.from(space.isCategorical)).toEqual([0, 0, 0, 0, 1, 0, 0]);
    expect(space.names).toEqual(['f', 'l', 'n', 'u', 'c', 'one', 'flat']);
  });

  it('normalises floats linearly, log ranges in log space, and stepped ranges widened by half a step', () => {
    expect(space.normalize(0, 1)).toBe(0.5);
    expect(space.normalize(1, 1e-2)).toBeCloseTo(0.5, 14);
    // n: [2 − 1, 10 + 1] = [1, 11]; 4 is at 3/10.
    expect(space.normalize(2, 4)).toBeCloseTo(0.3, 14);
    // u: log of [0.5, 100.5].
    expect(space.normalize(3, 10)).toBeCloseTo((Math.log(10) - Math.log(0.5)) / (Math.log(100.5) - Math.log(0.5)), 14);
    // Categoricals stay the index.
    expect(space.normalize(4, 3)).toBe(3);
    // A single-valued int still has a cell ([6.5, 7.5]); a single-valued float has none: its middle, 0.5.
    expect(space.normalize(5, 7)).toBeCloseTo(0.5, 14);
    expect(space.normalize(6, 2)).toBe(0.5);
  });

  it('unnormalises as the inverse of normalise, on every dimension (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (u) => {
        for (const i of [0, 1, 2, 3]) expect(space.normalize(i, space.unnormalize(i, u))).toBeCloseTo(u, 10);
        expect(space.unnormalize(4, 2)).toBe(2);
      }),
    );
    expect(space.unnormalize(0, 0)).toBe(-3);
    expect(space.unnormalize(0, 1)).toBe(5);
    expect(space.unnormalize(2, 0)).toBe(1);
    expect(space.unnormalize(3, 1)).toBeCloseTo(100.5, 10);
  });

  it('lists every grid value’s coordinate, ascending, with the same numbers normalise gives', () => {
    expect(Array.from(space.choices(2))).toEqual([2, 4, 6, 8, 10].map((v) => space.normalize(2, v)));
    const u = space.choices(3);
    expect(u).toHaveLength(100);
    expect(u[0]).toBe(space.normalize(3, 1));
    expect(u[99]).toBe(space.normalize(3, 100));
    for (let k = 1; k < u.length; k++) expect(u[k] as number).toBeGreaterThan(u[k - 1] as number);
    expect(Array.from(space.choices(4))).toEqual([0, 1, 2, 3]);
    expect(Array.from(space.choices(5))).toEqual([space.normalize(5, 7)]);
  });

  it('rounds a coordinate to the nearest grid value’s coordinate, cells split halfway, ends clipped', () => {
    // n's cells: [1, 3) → 2, [3, 5) → 4, …; coordinates (v − 1)/10.
    expect(space.roundNormalized(2, 0.19)).toBeCloseTo(space.normalize(2, 2), 14);
    expect(space.roundNormalized(2, 0.21)).toBeCloseTo(space.normalize(2, 4), 14);
    expect(space.roundNormalized(2, 0)).toBeCloseTo(space.normalize(2, 2), 14);
    expect(space.roundNormalized(2, 1)).toBeCloseTo(space.normalize(2, 10), 14);
    expect(space.roundNormalized(2, -0.3)).toBeCloseTo(space.normalize(2, 2), 14);
    expect(space.roundNormalized(2, 1.4)).toBeCloseTo(space.normalize(2, 10), 14);
    // Continuous and categorical coordinates are left alone.
    expect(space.roundNormalized(0, 0.123)).toBe(0.123);
    expect(space.roundNormalized(4, 2.7)).toBe(2.7);
  });

  it('moves a unit-cube point onto the space: categories floored (1 stays the last), grids rounded, floats kept', () => {
    const x = space.fromUnitCube(Float64Array.of(0.3, 0.7, 0.21, 0.5, 0.999, 0.2, 0.9));
    expect(x[0]).toBe(0.3);
    expect(x[1]).toBe(0.7);
    expect(x[2]).toBeCloseTo(space.normalize(2, 4), 14);
    expect(x[4]).toBe(3);
    expect(x[5]).toBeCloseTo(space.normalize(5, 7), 14);
    expect(x[6]).toBe(0.9);
    expect(space.fromUnitCube(Float64Array.of(0, 0, 0, 0, 1, 0, 0))[4]).toBe(3);
    expect(space.fromUnitCube(Float64Array.of(0, 0, 0, 0, 0.25, 0, 0))[4]).toBe(1);
  });

  it('turns a point into parameter values clipped into range, snapped to the grid, categories rounded and clipped', () => {
    const p = space.toParams([1.4, -0.2, 0.33, 0.5, 2.6, 0.9, 0.1]);
    expect(p['f']).toBe(5);
    expect(p['l']).toBe(1e-4);
    expect(p['n']).toBe(4);
    expect(p['u']).toBe(Math.round(space.unnormalize(3, 0.5)));
    expect(p['c']).toBe(3);
    expect(p['one']).toBe(7);
    expect(p['flat']).toBe(2);
    expect(space.toParams([0, 0, 0, 0, 9, 0, 0])['c']).toBe(3);
    expect(space.toParams([0, 0, 0, 0, -2, 0, 0])['c']).toBe(0);
  });

  it('writes a trial’s values at an offset of a shared buffer, leaving the rest alone', () => {
    const out = new Float64Array(9).fill(-1);
    space.normalizePoint({ f: 5, l: 1, n: 10, u: 1, c: 2, one: 7, flat: 2 }, out, 2);
    expect(Array.from(out.subarray(0, 2))).toEqual([-1, -1]);
    expect(out[2]).toBe(1);
    expect(out[3]).toBeCloseTo(1, 14);
    expect(out[4]).toBeCloseTo(0.9, 14);
    expect(out[5]).toBeCloseTo(space.normalize(3, 1), 14);
    expect(out[6]).toBe(2);
  });
});
