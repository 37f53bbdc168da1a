/**
 * A bounded limited-memory quasi-Newton minimiser (projected L-BFGS): the L-BFGS two-loop
 * direction over the variables not held at a bound, a backtracking Armijo search (quadratic
 * interpolation, safeguarded) along the
 * projected path P(x + αd), and SciPy L-BFGS-B's stopping rules (projected gradient ≤ pgtol, or a
 * relative decrease of f ≤ factr·ε). Without bounds it is plain L-BFGS. Small on purpose: the
 * GP fits a dozen hyperparameters and searches the acquisition in the unit cube.
 */

export interface LbfgsbOptions {
  /** Lower bounds (−Infinity for none). */
  readonly lower?: ArrayLike<number>;
  /** Upper bounds (+Infinity for none). */
  readonly upper?: ArrayLike<number>;
  /** Correction pairs kept. Default 10 (SciPy's). */
  readonly m?: number;
  /** Stop when the largest projected-gradient component is at most this. Default 1e-5. */
  readonly pgtol?: number;
  /** Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ factr·ε. Default 1e7 (SciPy's). */
  readonly factr?: number;
  /** Iterations at most. Default 15000. */
  readonly maxIter?: number;
  /** Function evaluations at most. Default 15000. */
  readonly maxEval?: number;
}

export interface LbfgsbResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly grad: Float64Array;
  /** Iterations taken (accepted steps). */
  readonly nit: number;
  readonly nfev: number;
  /** True when a stopping rule was met, false when a limit was hit or the line search failed. */
  readonly converged: boolean;
  readonly message: string;
}

/** f(x), writing ∇f(x) into `grad`. */
export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

const EPS = 2.220446049250313e-16;

export function lbfgsb(fg: ValueAndGradient, x0: ArrayLike<number>, options: LbfgsbOptions = {}): LbfgsbResult {
  const n = x0.length;
  const lo = Float64Array.from({ length: n }, (_, i) => (options.lower?.[i] as number | undefined) ?? -Infinity);
  const hi = Float64Array.from({ length: n }, (_, i) => (options.upper?.[i] as number | undefined) ?? Infinity);
  const mMax = options.m ?? 10;
  const pgtol = options.pgtol ?? 1e-5;
  const ftol = (options.factr ?? 1e7) * EPS;
  const maxIter = options.maxIter ?? 15000;
  const maxEval = options.maxEval ?? 15000;
  const clip = (v: number, i: number): number => Math.min(hi[i] as number, Math.max(lo[i] as number, v));

  let x = Float64Array.from({ length: n }, (_, i) => clip(x0[i] as number, i));
  let g = new Float64Array(n);
  let f = fg(x, g);
  let nfev = 1;
  if (!Number.isFinite(f)) return { x, f, grad: g, nit: 0, nfev, converged: false, message: 'the function is not finite at the starting point' };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(mMax);
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  let xn = new Float64Array(n);
  let gn = new Float64Array(n);

  for (let nit = 0; ; ) {
    let pg = 0;
    for (let i = 0; i < n; i++) pg = Math.max(pg, Math.abs(clip((x[i] as number) - (g[i] as number), i) - (x[i] as number)));
    if (pg <= pgtol) return { x, f, grad: g, nit, nfev, converged: true, message: 'projected gradient below pgtol' };
    if (nit >= maxIter) return { x, f, grad: g, nit, nfev, converged: false, message: 'iteration limit reached' };
    if (nfev >= maxEval) return { x, f, grad: g, nit, nfev, converged: false, message: 'evaluation limit reached' };

    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const gi = g[i] as number;
      free[i] = (xi <= (lo[i] as number) && gi > 0) || (xi >= (hi[i] as number) && gi < 0) ? 0 : 1;
    }
    let accepted = false;
    for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
      if (attempt === 1) {
        if (S.length === 0) break;
        // The quasi-Newton direction failed: forget the curvature pairs and go down the gradient.
        S.length = 0;
        Y.length = 0;
        rho.length = 0;
      }
      direction(g, free, S, Y, rho, alpha, d);
      let slope = 0;
      let dnorm = 0;
      for (let i = 0; i < n; i++) {
        slope += (d[i] as number) * (g[i] as number);
        dnorm += (d[i] as number) ** 2;
      }
      if (!(slope < 0)) {
        for (let i = 0; i < n; i++) d[i] = free[i] ? -(g[i] as number) : 0;
        S.length = 0;
        Y.length = 0;
        rho.length = 0;
        dnorm = 0;
        for (let i = 0; i < n; i++) dnorm += (d[i] as number) ** 2;
      }
      // SciPy's first step is 1/‖d‖ (no curvature known yet); then the quasi-Newton step 1.
      let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dnorm)) : 1;
      for (let ls = 0; ls < 40 && nfev < maxEval; ls++) {
        let moved = 0;
        let decrease = 0;
        for (let i = 0; i < n; i++) {
          const v = clip((x[i] as number) + step * (d[i] as number), i);
          xn[i] = v;
          moved = Math.max(moved, Math.abs(v - (x[i] as number)));
          decrease += (g[i] as number) * (v - (x[i] as number));
        }
        if (moved === 0) break;
        const fnew = fg(xn, gn);
        nfev++;
        if (Number.isFinite(fnew) && fnew <= f + 1e-4 * decrease) {
          accepted = true;
          let sy = 0;
          let yy = 0;
          const s = new Float64Array(n);
          const y = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            s[i] = (xn[i] as number) - (x[i] as number);
            y[i] = (gn[i] as number) - (g[i] as number);
            sy += (s[i] as number) * (y[i] as number);
            yy += (y[i] as number) ** 2;
          }
          if (sy > EPS * yy) {
            if (S.length === mMax) {
              S.shift();
              Y.shift();
              rho.shift();
            }
            S.push(s);
            Y.push(y);
            rho.push(1 / sy);
          }
          const reduction = (f - fnew) / Math.max(Math.abs(f), Math.abs(fnew), 1);
          [x, xn] = [xn, x];
          [g, gn] = [gn, g];
          f = fnew;
          nit++;
          if (reduction <= ftol) return { x, f, grad: g, nit, nfev, converged: true, message: 'relative reduction of f below factr·ε' };
          break;
        }
        // Backtrack to the minimum of the quadratic through f, the slope and f(step), kept within
        // [0.1, 0.5]·step (halving alone cost the GP fit a third more evaluations).
        const curvature = fnew - f - decrease;
        const quadratic = Number.isFinite(fnew) && curvature > 0 ? (-decrease * step) / (2 * curvature) : 0.5 * step;
        step = Math.min(0.5 * step, Math.max(0.1 * step, quadratic));
      }
    }
    if (!accepted) {
      // A line search cut short by the evaluation budget has not shown that there is no decrease.
      const message = nfev >= maxEval ? 'evaluation limit reached' : 'the line search found no decrease';
      return { x, f, grad: g, nit, nfev, converged: false, message };
    }
  }
}

/** d = −H g over the free variables (two-loop recursion), 0 on the variables held at a bound. */
function direction(g: Float64Array, free: Uint8Array, S: Float64Array[], Y: Float64Array[], rho: number[], alpha: Float64Array, d: Float64Array): void {
  const n = g.length;
  for (let i = 0; i < n; i++) d[i] = free[i] ? (g[i] as number) : 0;
  const k = S.length;
  for (let j = k - 1; j >= 0; j--) {
    const s = S[j] as Float64Array;
    const y = Y[j] as Float64Array;
    let a = 0;
    for (let i = 0; i < n; i++) if (free[i]) a += (s[i] as number) * (d[i] as number);
    a *= rho[j] as number;
    alpha[j] = a;
    for (let i = 0; i < n; i++) if (free[i]) d[i] = (d[i] as number) - a * (y[i] as number);
  }
  if (k > 0) {
    const s = S[k - 1] as Float64Array;
    const y = Y[k - 1] as Float64Array;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      sy += (s[i] as number) * (y[i] as number);
      yy += (y[i] as number) ** 2;
    }
    const gamma = sy / yy;
    for (let i = 0; i < n; i++) d[i] = (d[i] as number) * gamma;
  }
  for (let j = 0; j < k; j++) {
    const s = S[j] as Float64Array;
    const y = Y[j] as Float64Array;
    let b = 0;
    for (let i = 0; i < n; i++) if (free[i]) b += (y[i] as number) * (d[i] as number);
    b *= rho[j] as number;
    const c = (alpha[j] as number) - b;
    for (let i = 0; i < n; i++) if (free[i]) d[i] = (d[i] as number) + c * (s[i] as number);
  }
  for (let i = 0; i < n; i++) d[i] = free[i] ? -(d[i] as number) : 0;
}
