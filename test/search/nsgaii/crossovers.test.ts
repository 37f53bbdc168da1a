import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLXAlphaCrossover, SBXCrossover, SPXCrossover, UNDXCrossover, UniformCrossover, VSBXCrossover, type Crossover, type RandomSource } from '../../../src/search/samplers/nsgaii/crossovers.js';
import { Rng } from '../../../src/util/rng.js';
import { pythonCannotImport, runPython } from '../../helpers/python.js';
import { requireOrSkip } from '../../helpers/require.js';

const optunaMissing = pythonCannotImport('optuna.samplers.nsgaii, numpy', 'apt-get install -y python3-optuna');

interface Case {
  kind: string;
  options: Record<string, number>;
  parents: number[][];
  u: number[];
  z: number[];
  multiObjective: boolean;
}

/** A source that hands out the given numbers in order, and counts what it handed out. */
function scripted(u: readonly number[], z: readonly number[]): RandomSource & { used: () => [number, number] } {
  let i = 0;
  let j = 0;
  return {
    next: () => {
      if (i >= u.length) throw new Error('ran out of uniform draws');
      return u[i++] as number;
    },
    normal: () => {
      if (j >= z.length) throw new Error('ran out of normal draws');
      return z[j++] as number;
    },
    used: () => [i, j],
  };
}

function make(kind: string, options: Record<string, number>): Crossover {
  switch (kind) {
    case 'uniform': return new UniformCrossover(options);
    case 'blx': return new BLXAlphaCrossover(options);
    case 'sbx': return new SBXCrossover(options);
    case 'vsbx': return new VSBXCrossover(options);
    case 'spx': return new SPXCrossover(options);
    default: return new UNDXCrossover(options);
  }
}

const ALL: [string, Record<string, number>][] = [['uniform', {}], ['uniform', { swappingProb: 0.2 }], ['blx', {}], ['blx', { alpha: 0.1 }], ['sbx', {}], ['sbx', { eta: 5 }], ['vsbx', {}], ['vsbx', { eta: 7 }], ['spx', {}], ['spx', { epsilon: 1.2 }], ['undx', {}], ['undx', { sigmaXi: 0.8, sigmaEta: 0.3 }]];

const PY_NAMES: Record<string, [string, Record<string, string>]> = {
  uniform: ['UniformCrossover', { swappingProb: 'swapping_prob' }],
  blx: ['BLXAlphaCrossover', { alpha: 'alpha' }],
  sbx: ['SBXCrossover', { eta: 'eta' }],
  vsbx: ['VSBXCrossover', { eta: 'eta' }],
  spx: ['SPXCrossover', { epsilon: 'epsilon' }],
  undx: ['UNDXCrossover', { sigmaXi: 'sigma_xi', sigmaEta: 'sigma_eta' }],
};

describe('NSGA-II crossovers equal Optuna 3.1’s for the same random draws', () => {
  // Each case: parents in the unit cube (some dimensions with equal parents, some at the bounds), and
  // enough scripted draws for any crossover; both sides must also consume the same number of them.
  // Coordinates are multiples of 1e-6: parents that differ by 1e-30 in one coordinate make UNDX's QR
  // nearly rank-deficient, where any two QR codes part ways in round-off (the subspace stays the same).
  const point = (d: number) => fc.array(fc.oneof(fc.integer({ min: 0, max: 1_000_000 }).map((k) => k / 1_000_000), fc.constantFrom(0, 0.5, 1)), { minLength: d, maxLength: d });
  const cases = fc.sample(
    fc.integer({ min: 1, max: 6 }).chain((d) =>
      fc.record({
        pick: fc.integer({ min: 0, max: ALL.length - 1 }),
        parents: fc.tuple(point(d), point(d), point(d)),
        u: fc.array(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), { minLength: 3 * d + 3, maxLength: 3 * d + 3 }),
        z: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d + 1, maxLength: d + 1 }),
        multiObjective: fc.boolean(),
      }),
    ),
    { numRuns: 400, seed: 20261204 },
  ).map(({ pick, parents, u, z, multiObjective }): Case => {
    const [kind, options] = ALL[pick] as [string, Record<string, number>];
    return { kind, options, parents: parents.slice(0, make(kind, options).nParents), u, z, multiObjective };
  });

  it.skipIf(requireOrSkip(optunaMissing))('400 generated cases over all six, with and without options: the same child to 1e-12, the same draws used', () => {
    const script = `
import json, sys, numpy as np
from optuna.samplers import nsgaii
class Scripted:
    def __init__(self, u, z):
        self.u, self.z, self.i, self.j = u, z, 0, 0
    def _u(self):
        self.i += 1
        return self.u[self.i - 1]
    def _z(self):
        self.j += 1
        return self.z[self.j - 1]
    def rand(self, size=None):
        return self._u() if size is None else np.array([self._u() for _ in range(size)])
    def normal(self, loc=0.0, scale=1.0, size=None):
        return loc + scale * self._z() if size is None else np.array([loc + scale * self._z() for _ in range(size)])
class Study:
    def __init__(self, mo):
        self.mo = mo
    def _is_multi_objective(self):
        return self.mo
out = []
for c in json.loads(sys.stdin.read()):
    cls = getattr(nsgaii, c["cls"])
    x = cls(**c["options"])
    parents = np.array(c["parents"], dtype=float)
    rng = Scripted(c["u"], c["z"])
    child = x.crossover(parents, rng, Study(c["multiObjective"]), np.array([[0.0, 1.0]] * parents.shape[1]))
    out.append({"child": np.asarray(child, dtype=float).tolist(), "used": [rng.i, rng.j]})
print(json.dumps(out))`;
    const input = cases.map((c) => {
      const [cls, names] = PY_NAMES[c.kind] as [string, Record<string, string>];
      return { cls, options: Object.fromEntries(Object.entries(c.options).map(([k, v]) => [names[k], v])), parents: c.parents, u: c.u, z: c.z, multiObjective: c.multiObjective };
    });
    const py = runPython(['-c', script], JSON.stringify(input));
    expect(py.status, py.stderr).toBe(0);
    const theirs = JSON.parse(py.stdout) as { child: number[]; used: [number, number] }[];
    const kinds = new Set<string>();
    cases.forEach((c, k) => {
      const random = scripted(c.u, c.z);
      const child = make(c.kind, c.options).cross(c.parents.map((p) => Float64Array.from(p)), random, c.multiObjective);
      const ref = theirs[k] as { child: number[]; used: [number, number] };
      const label = JSON.stringify(c);
      expect(child.length, label).toBe(ref.child.length);
      child.forEach((v, i) => expect(Math.abs(v - (ref.child[i] as number)), label).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref.child[i] as number))));
      expect(random.used(), label).toEqual(ref.used);
      kinds.add(c.kind);
    });
    expect(kinds.size).toBe(6);
  });
});

// The conformance every crossover meets, whatever its algorithm.
describe.each(ALL.map(([kind, options]) => [`${kind} ${JSON.stringify(options)}`, kind, options] as const))('crossover %s', (_label, kind, options) => {
  const crossover = make(kind, options);
  const parentsOf = (d: number) => fc.array(fc.float64Array({ minLength: d, maxLength: d, min: 0, max: 1, noNaN: true, noDefaultInfinity: true }), { minLength: crossover.nParents, maxLength: crossover.nParents });

  it('gives a finite child of the parents’ dimension, the same one for the same draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }).chain(parentsOf), fc.integer({ min: 0, max: 2 ** 31 }), fc.boolean(), (parents, seed, mo) => {
        const a = crossover.cross(parents, Rng.derive(seed), mo);
        const b = crossover.cross(parents, Rng.derive(seed), mo);
        expect(a).toHaveLength((parents[0] as Float64Array).length);
        expect(a.every(Number.isFinite)).toBe(true);
        expect(Array.from(a)).toEqual(Array.from(b));
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('gives back the parent when every parent is the same point', () => {
    fc.assert(
      fc.property(fc.float64Array({ minLength: 1, maxLength: 8, min: 0, max: 1, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 2 ** 31 }), (p, seed) => {
        const child = crossover.cross(Array.from({ length: crossover.nParents }, () => Float64Array.from(p)), Rng.derive(seed), false);
        child.forEach((v, i) => expect(Math.abs(v - (p[i] as number))).toBeLessThan(1e-9));
      }),
      { seed: 8, numRuns: 100 },
    );
  });

  it('does not change its parents', () => {
    const parents = Array.from({ length: crossover.nParents }, (_, k) => Float64Array.from([0.1 * k, 0.9 - 0.2 * k, 0.5]));
    const copies = parents.map((p) => Array.from(p));
    crossover.cross(parents, Rng.derive(3), true);
    expect(parents.map((p) => Array.from(p))).toEqual(copies);
  });
});

describe('crossover options', () => {
  it('refuse bad values, naming the class and field', () => {
    expect(() => new UniformCrossover({ swappingProb: 1.5 })).toThrow(/UniformCrossover swappingProb must be a probability/);
    expect(() => new BLXAlphaCrossover({ alpha: -1 })).toThrow(/BLXAlphaCrossover alpha must be a finite number >= 0/);
    expect(() => new SBXCrossover({ eta: Number.NaN })).toThrow(/SBXCrossover eta/);
    expect(() => new VSBXCrossover({ eta: Infinity })).toThrow(/VSBXCrossover eta/);
    expect(() => new SPXCrossover({ epsilon: -0.1 })).toThrow(/SPXCrossover epsilon/);
    expect(() => new UNDXCrossover({ sigmaXi: -1 })).toThrow(/UNDXCrossover sigmaXi/);
    expect(() => new UNDXCrossover({ sigmaEta: -1 })).toThrow(/UNDXCrossover sigmaEta/);
  });
});
