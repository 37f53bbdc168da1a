import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lbfgsb, type ValueAndGradient } from '../../../src/search/samplers/gp/lbfgsb.js';

// The minimiser's contract beyond where it stops (numerics.test.ts checks that against SciPy): what it
// counts, why it says it stopped, and how its line search steps. The GP's fit reads nfev and the
// message, and a wrong count or a limit passed unnoticed costs every trial time.

/** fg that counts its calls. */
function counted(fg: ValueAndGradient): { fg: ValueAndGradient; calls: () => number } {
  let calls = 0;
  return {
    fg: (x, g) => {
      calls += 1;
      return fg(x, g);
    },
    calls: () => calls,
  };
}

const rosenbrock: ValueAndGradient = (x, g) => {
  const [a, b] = [x[0] as number, x[1] as number];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

/** f(x) = Σ wᵢ (xᵢ − cᵢ)², a separable quadratic. */
function quadratic(w: readonly number[], c: readonly number[]): ValueAndGradient {
  return (x, g) => {
    let f = 0;
    for (let i = 0; i < w.length; i++) {
      const r = (x[i] as number) - (c[i] as number);
      g[i] = 2 * (w[i] as number) * r;
      f += (w[i] as number) * r * r;
    }
    return f;
  };
}

describe('lbfgsb: counts, limits and stopping messages', () => {
  it('counts every evaluation, returns f and the gradient at the x it returns, and never leaves the box (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (w, c, start) => {
          const n = w.length;
          const lower = Array.from({ length: n }, () => -2);
          const upper = Array.from({ length: n }, () => 2);
          const { fg, calls } = counted(quadratic(w, c));
          const r = lbfgsb(fg, start.slice(0, n), { lower, upper, pgtol: 1e-8, factr: 10 });
          expect(r.nfev).toBe(calls());
          expect(r.nit).toBeLessThanOrEqual(r.nfev - 1);
          const g = new Float64Array(n);
          expect(r.f).toBe(quadratic(w, c)(r.x, g));
          expect(Array.from(r.grad)).toEqual(Array.from(g));
          for (let i = 0; i < n; i++) {
            expect(r.x[i]).toBeGreaterThanOrEqual(-2);
            expect(r.x[i]).toBeLessThanOrEqual(2);
            // The minimum of a separable quadratic in a box is the centre clipped to the box.
            expect(Math.abs((r.x[i] as number) - Math.min(2, Math.max(-2, c[i] as number)))).toBeLessThan(1e-5);
          }
          expect(r.converged).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('stops at the iteration limit and says so, with that many accepted steps', () => {
    const r = lbfgsb(rosenbrock, [-1.2, 1], { maxIter: 3 });
    expect(r.nit).toBe(3);
    expect(r.converged).toBe(false);
    expect(r.message).toBe('iteration limit reached');
    // Three accepted steps went downhill from f(-1.2, 1) = 24.2.
    expect(r.f).toBeLessThan(24.2);
  });

  it('never evaluates more than maxEval times, and names the evaluation limit when it is what stopped it', () => {
    for (const maxEval of [1, 2, 3, 5, 8, 13, 21]) {
      const { fg, calls } = counted(rosenbrock);
      const r = lbfgsb(fg, [-1.2, 1], { maxEval, pgtol: 0, factr: 0 });
      expect(calls()).toBe(maxEval);
      expect(r.nfev).toBe(maxEval);
      expect(r.converged).toBe(false);
      expect(r.message).toBe('evaluation limit reached');
    }
  });

  it('says the start is not finite, after one evaluation', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const r = lbfgsb(() => bad, [0, 0]);
      expect(r).toMatchObject({ nit: 0, nfev: 1, converged: false, message: 'the function is not finite at the starting point' });
    }
  });

  it('stops at once where the projected gradient is pgtol exactly (SciPy’s rule is ≤), and not above it', () => {
    const slope = (s: number): ValueAndGradient => (x, g) => {
      g[0] = s;
      return s * (x[0] as number);
    };
    const at = lbfgsb(slope(1e-5), [0], { pgtol: 1e-5 });
    expect(at).toMatchObject({ nit: 0, nfev: 1, converged: true, message: 'projected gradient below pgtol' });
    // Just above pgtol it takes a step downhill.
    const above = lbfgsb(slope(2e-5), [0], { pgtol: 1e-5, lower: [-1] });
    expect(above.nit).toBeGreaterThan(0);
    expect(above.x[0]).toBeLessThan(0);
  });

  it('at a bound with the gradient pointing out of the box, the projected gradient is 0: done without a step', () => {
    const r = lbfgsb(quadratic([1, 1], [-5, 5]), [-1, 1], { lower: [-1, -1], upper: [1, 1] });
    expect(r).toMatchObject({ nit: 0, nfev: 1, converged: true });
    expect(Array.from(r.x)).toEqual([-1, 1]);
  });

  it('stops on the relative reduction of f when the gradient never gets below pgtol', () => {
    // eˣ has no minimum: its gradient stays above 1e-300 until x < −690, long after f stops moving
    // by more than factr·ε = 2.2e-9 a step.
    const r = lbfgsb((x, g) => {
      g[0] = Math.exp(x[0] as number);
      return g[0];
    }, [0], { pgtol: 1e-300 });
    expect(r.converged).toBe(true);
    expect(r.message).toBe('relative reduction of f below factr·ε');
    expect(r.f).toBeLessThan(1e-8);
    expect(r.f).toBeGreaterThan(1e-12);
  });

  it('lands on a 1-D quadratic’s minimum with one interpolated backtrack: three evaluations', () => {
    // From 0 the first step is 1/|d| = 1/10 of d = 10: to x = 1, where f rises. The quadratic through
    // f(0), f′(0) and f(1) has its minimum at 0.1, which is the answer.
    const { fg, calls } = counted(quadratic([50], [0.1]));
    const r = lbfgsb(fg, [0]);
    expect(r.x[0]).toBeCloseTo(0.1, 12);
    expect(calls()).toBe(3);
    expect(r.nit).toBe(1);
    expect(r.message).toBe('projected gradient below pgtol');
  });

  it('backs off a step whose value is not finite, by halving, and ends at the edge of the finite region', () => {
    // f = x on x > 0.4 and NaN below; from 1 the first step of length 1 lands on 0 (NaN); halving
    // reaches 0.5 (accepted), then the search works towards 0.4.
    const seen: number[] = [];
    const r = lbfgsb((x, g) => {
      seen.push(x[0] as number);
      g[0] = 1;
      return (x[0] as number) > 0.4 ? (x[0] as number) : Number.NaN;
    }, [1], { lower: [-10], upper: [10] });
    expect(seen.slice(0, 3)).toEqual([1, 0, 0.5]);
    expect(seen.every((v, i) => i === 0 || v !== seen[i - 1])).toBe(true);
    expect(r.f).toBeGreaterThan(0.4);
    expect(r.f).toBeLessThan(0.4 + 1e-6);
    expect(r.nfev).toBe(seen.length);
  });

  it('converges in few evaluations on an ill-conditioned quadratic: the curvature pairs are used (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const w = Array.from({ length: n }, (_, i) => 10 ** ((3 * i) / (n - 1)) * (1 + ((seed * (i + 1)) % 7) / 10));
        const c = Array.from({ length: n }, (_, i) => Math.sin(seed + i));
        const { fg, calls } = counted(quadratic(w, c));
        const r = lbfgsb(fg, new Array<number>(n).fill(0), { pgtol: 1e-8, factr: 10 });
        expect(r.converged).toBe(true);
        for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(c[i] as number, 6);
        // Steepest descent needs thousands of evaluations at condition number 1000; L-BFGS a few dozen.
        expect(calls()).toBeLessThan(60 * n);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps only m curvature pairs: with m = 1 it still converges, more slowly than with 10', () => {
    const w = [1, 10, 100, 1000];
    const c = [1, -1, 0.5, -0.5];
    const one = counted(quadratic(w, c));
    const ten = counted(quadratic(w, c));
    const r1 = lbfgsb(one.fg, [0, 0, 0, 0], { m: 1, pgtol: 1e-9, factr: 1 });
    const r10 = lbfgsb(ten.fg, [0, 0, 0, 0], { m: 10, pgtol: 1e-9, factr: 1 });
    for (const r of [r1, r10]) for (let i = 0; i < 4; i++) expect(r.x[i]).toBeCloseTo(c[i] as number, 6);
    expect(ten.calls()).toBeLessThan(one.calls());
  });
});
