import { describe, expect, it } from 'vitest';
import { CMA } from '../../../src/search/samplers/cmaes/cma.js';
import { Rng } from '../../../src/util/rng.js';
import { pythonCannotImport, pythonJson } from '../../helpers/python.js';
import { requireOrSkip } from '../../helpers/require.js';

// The cmaes package (Debian's python3-cmaes) is the reference for when a run stops: IPOP restarts on it.
const cmaesMissing = pythonCannotImport('cmaes, numpy', 'apt-get install -y python3-cmaes');
if (cmaesMissing) console.warn(`[cma stopping tests] skipping the comparison with the cmaes package: ${cmaesMissing}`);

/** A CMA state set directly: each case puts one stopping rule just over or just under its threshold. */
interface State {
  readonly label: string;
  readonly mean: readonly number[];
  /** The step size the run started with: tolx is 1e-12 of it. */
  readonly sigma0: number;
  readonly sigma?: number;
  readonly C?: readonly (readonly number[])[];
  readonly pc?: readonly number[];
  readonly generation?: number;
  readonly stops: boolean;
}

function cmaAt(s: State): CMA {
  const cma = new CMA(s.mean, s.sigma0);
  if (s.sigma !== undefined) cma.sigma = s.sigma;
  if (s.C !== undefined) cma.C = Float64Array.from(s.C.flat());
  if (s.pc !== undefined) cma.pc = Float64Array.from(s.pc);
  if (s.generation !== undefined) cma.generation = s.generation;
  return cma;
}

// 2^53 and 2^54: numbers whose neighbours are 2 (and 4) away, so a step below half of that leaves them unchanged.
const BIG = 2 ** 53;
const BIGGER = 2 ** 54;
// Eigenvalues 1 and 100 on the diagonals (1, ±1)/√2: every coordinate has variance 50.5, the short axis a
// standard deviation of 1. Which of the two is the short axis is what the no-effect-axis cases turn on.
const SHORT_ON_DIAGONAL = [[50.5, -49.5], [-49.5, 50.5]];
const SHORT_ON_ANTIDIAGONAL = [[50.5, 49.5], [49.5, 50.5]];

const states: State[] = [
  { label: 'a fresh run', mean: [0.5, 0.5], sigma0: 0.3, stops: false },
  // tolx: σ·C_ii and σ·pc_i all below 1e-12·σ0.
  { label: 'tolx: σ·C and σ·pc below 1e-12·σ0', mean: [0.5, 0.5], sigma0: 1, sigma: 1e-13, pc: [0, 0], stops: true },
  { label: 'tolx: one σ·pc_i above', mean: [0.5, 0.5], sigma0: 1, sigma: 1e-13, pc: [0, 20], stops: false },
  { label: 'tolx: one σ·C_ii above', mean: [0.5, 0.5], sigma0: 1, sigma: 1e-13, C: [[1, 0], [0, 100]], pc: [0, 0], stops: false },
  { label: 'tolx: measured against the first σ, not 1e-12', mean: [0.5, 0.5], sigma0: 1e-3, sigma: 1e-13, pc: [0, 0], stops: false },
  // tolxup: σ times the longest axis (the largest D) over 1e4.
  { label: 'tolxup: σ·max D = 12000', mean: [0.5, 0.5], sigma0: 1, sigma: 6000, C: [[0.25, 0], [0, 4]], stops: true },
  { label: 'tolxup: σ·max D = 8000', mean: [0.5, 0.5], sigma0: 1, sigma: 4000, C: [[0.25, 0], [0, 4]], stops: false },
  // No effect of a coordinate: m_i + 0.2·σ·√C_ii == m_i for some i (here coordinate 0, at 2^53 where the next number is 2 away).
  { label: 'no-effect coordinate: 0.2·σ·√C_00 = 0.9 at 2^53', mean: [BIG, 0], sigma0: 1, sigma: 2.25, C: [[4, 0], [0, 1]], stops: true },
  { label: 'no-effect coordinate: 0.2·σ·√C_00 = 1.2 at 2^53', mean: [BIG, 0], sigma0: 1, sigma: 3, C: [[4, 0], [0, 1]], stops: false },
  // No effect of an axis: adding 0.1·σ·D_k·B_k leaves every coordinate unchanged, for the axis k = generation mod n
  // (axes in ascending order of D, as numpy's eigh). At 2^54 a step under 1 changes nothing either way; the long
  // axis (0.1·4·10/√2 = 2.8) and each coordinate (0.2·4·√50.5 = 5.7) move it.
  { label: 'no-effect axis: short axis on the diagonal, generation 0', mean: [BIGGER, BIGGER], sigma0: 1, sigma: 4, C: SHORT_ON_DIAGONAL, generation: 0, stops: true },
  { label: 'no-effect axis: long axis, generation 1', mean: [BIGGER, BIGGER], sigma0: 1, sigma: 4, C: SHORT_ON_DIAGONAL, generation: 1, stops: false },
  { label: 'no-effect axis: short axis on the antidiagonal, generation 2', mean: [BIGGER, BIGGER], sigma0: 1, sigma: 4, C: SHORT_ON_ANTIDIAGONAL, generation: 2, stops: true },
  { label: 'no-effect axis: long axis, generation 3', mean: [BIGGER, BIGGER], sigma0: 1, sigma: 4, C: SHORT_ON_ANTIDIAGONAL, generation: 3, stops: false },
  // Condition number of C over 1e14, as the ratio of the longest to the shortest axis (D, not D²).
  { label: 'condition: D ratio 3.2e14', mean: [0, 0], sigma0: 1, C: [[1, 0], [0, 1e-29]], stops: true },
  { label: 'condition: D ratio 3.2e13', mean: [0, 0], sigma0: 1, C: [[1, 0], [0, 1e-27]], stops: false },
];

describe('CMA stopping rules (what starts an IPOP restart)', () => {
  for (const s of states) {
    it(`${s.label}: ${s.stops ? 'stops' : 'goes on'}`, () => {
      expect(cmaAt(s).shouldStop()).toBe(s.stops);
    });
  }

  it.skipIf(requireOrSkip(cmaesMissing))('each state stops, or not, as the cmaes package’s should_stop() says', () => {
    const script = `
import json, numpy as np
from cmaes import CMA
states = json.loads(${JSON.stringify(JSON.stringify(states))})
out = []
for s in states:
    opt = CMA(mean=np.array(s["mean"], dtype=float), sigma=s["sigma0"])
    if "sigma" in s: opt._sigma = s["sigma"]
    if "C" in s: opt._C = np.array(s["C"], dtype=float)
    if "pc" in s: opt._pc = np.array(s["pc"], dtype=float)
    if "generation" in s: opt._g = s["generation"]
    out.append(bool(opt.should_stop()))
print(json.dumps(out))
`;
    const reference = pythonJson<boolean[]>(script);
    expect(states.map((s) => cmaAt(s).shouldStop())).toEqual(reference);
    expect(reference).toEqual(states.map((s) => s.stops));
  });

  /** Tells `generations` generations whose values come from `values(k)` for the k-th solution; returns shouldStop after each. */
  function stopsAfterEachTell(generations: number, values: (k: number) => number): boolean[] {
    const cma = new CMA([0.5, 0.5], 0.3);
    const rng = new Rng(11);
    const out: boolean[] = [];
    for (let g = 0; g < generations; g++) {
      const solutions = Array.from({ length: cma.populationSize }, (_, k) => ({ x: cma.sample([rng.normal(), rng.normal()]), value: values(k) }));
      cma.tell(solutions);
      out.push(cma.shouldStop());
    }
    return out;
  }

  // Two dimensions, λ = 6: the best and worst values of the last 10 + ⌈30·2/6⌉ = 20 generations are kept.
  it('tolfun: flat values stop the run only once 20 generations are on record, at generation 21', () => {
    const stops = stopsAfterEachTell(22, () => 0);
    expect(stops.indexOf(true)).toBe(20);
  });

  it('tolfun: a spread of exactly 1e-12, in the best value or in the worst, does not stop it', () => {
    expect(stopsAfterEachTell(30, (k) => (k === 5 ? 1e-12 : 0))).not.toContain(true);
    expect(stopsAfterEachTell(30, (k) => (k === 0 ? -1e-12 : 0))).not.toContain(true);
    expect(stopsAfterEachTell(30, (k) => (k === 2 ? 1e-9 : 0))).not.toContain(true);
  });

  it('the step size is capped at 1e32 when the evolution path explodes', () => {
    const cma = new CMA([0.5, 0.5], 0.3);
    cma.pSigma = Float64Array.from([1e6, 1e6]);
    const rng = new Rng(2);
    cma.tell(Array.from({ length: cma.populationSize }, (_, k) => ({ x: cma.sample([rng.normal(), rng.normal()]), value: k })));
    expect(cma.sigma).toBe(1e32);
  });

  it('a covariance with a negative eigenvalue is repaired to 1e-8 on that axis, as the package does', () => {
    const cma = new CMA([0.5, 0.5], 0.3);
    // Eigenvalues −1 on (1, −1)/√2 and 3 on (1, 1)/√2.
    cma.C = Float64Array.from([1, 2, 2, 1]);
    const { D } = cma.eigen();
    expect(D[0]).toBe(Math.sqrt(1e-8));
    expect(D[1]).toBeCloseTo(Math.sqrt(3), 14);
    // C is rebuilt from the repaired decomposition: (3 ± 1e-8) / 2.
    expect(cma.C[0]).toBeCloseTo((3 + 1e-8) / 2, 14);
    expect(cma.C[1]).toBeCloseTo((3 - 1e-8) / 2, 14);
    expect(cma.C[1]).toBe(cma.C[2]);
  });
});
