/**
 * Dense linear algebra on row-major Float64Arrays, enough for a Gaussian process of a few
 * hundred points: Cholesky factorisation, triangular solves and the inverse from the factor.
 */

/** Thrown when a matrix is not positive definite even after the jitter was added. */
export class NotPositiveDefiniteError extends Error {
  constructor(n: number, jitter: number) {
    super(`the ${n}×${n} covariance matrix is not positive definite (jitter up to ${jitter} on the diagonal did not help)`);
  }
}

/**
 * Lower Cholesky factor L of the symmetric n×n matrix A (A = L Lᵀ), as a new array with zeros
 * above the diagonal, or written into `out` (n×n; its upper triangle is left as it was, and no
 * routine here reads it). Reads only A's lower triangle. Returns undefined when A is not positive
 * definite.
 */
export function cholesky(a: Float64Array, n: number, out?: Float64Array): Float64Array | undefined {
  // A reused `out` may hold an older factor above the diagonal: the loop below writes only on and below it.
  const l = out ?? new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (l[ri + k] as number) * (l[rj + k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / (l[rj + j] as number);
      }
    }
  }
  return l;
}

/**
 * Cholesky with jitter: when A is not numerically positive definite, add ε·I with ε growing
 * tenfold from 1e-10·mean(diag A), as GP libraries do, up to `maxTries` times.
 */
export function choleskyWithJitter(a: Float64Array, n: number, maxTries = 6): { l: Float64Array; jitter: number } {
  const l = cholesky(a, n);
  if (l !== undefined) return { l, jitter: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a[i * n + i] as number;
  meanDiag = Math.abs(meanDiag / Math.max(n, 1)) || 1;
  let jitter = 1e-10 * meanDiag;
  const b = Float64Array.from(a);
  for (let t = 0; t < maxTries; t++, jitter *= 10) {
    for (let i = 0; i < n; i++) b[i * n + i] = (a[i * n + i] as number) + jitter;
    const lj = cholesky(b, n);
    if (lj !== undefined) return { l: lj, jitter };
  }
  throw new NotPositiveDefiniteError(n, jitter / 10);
}

/** Solves L x = b for lower-triangular L (forward substitution); writes into `out`. */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[ri + k] as number) * (out[k] as number);
    out[i] = s / (l[ri + i] as number);
  }
  return out;
}

/** Solves Lᵀ x = b for lower-triangular L (back substitution); writes into `out`. */
export function solveLowerTransposed(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (out[k] as number);
    out[i] = s / (l[i * n + i] as number);
  }
  return out;
}

/**
 * A⁻¹ from A's Cholesky factor: (L⁻¹)ᵀ L⁻¹, symmetric, as a full matrix, or only its lower
 * triangle (on and below the diagonal) with `lowerOnly` — all a likelihood gradient reads, and it
 * spares a column-order pass. Row-major passes only.
 */
export function inverseFromCholesky(l: Float64Array, n: number, lowerOnly = false): Float64Array {
  // U = L⁻¹ row by row: u_i = (e_i − Σ_{k<i} L_ik u_k) / L_ii, each u_k non-zero on 0..k.
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const c = l[ri + k] as number;
      if (c === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) u[ri + j] = (u[ri + j] as number) - c * (u[rk + j] as number);
    }
    const inv = 1 / (l[ri + i] as number);
    for (let j = 0; j < i; j++) u[ri + j] = (u[ri + j] as number) * inv;
    u[ri + i] = inv;
  }
  // A⁻¹ = Uᵀ U = Σ_k u_k u_kᵀ: one rank-1 update of the leading (k+1)×(k+1) block per row.
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const c = u[rk + i] as number;
      if (c === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) out[ri + j] = (out[ri + j] as number) + c * (u[rk + j] as number);
    }
  }
  if (!lowerOnly) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j] as number;
  return out;
}
