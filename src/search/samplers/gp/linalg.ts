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
    let j = 0;
    // Four entries below the diagonal at a time share the loads of row i; the terms among the
    // four themselves come last, in the order the one-at-a-time loop takes them.
    for (; j + 3 < i; j += 4) {
      const r0 = j * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = a[ri + j] as number;
      let s1 = a[ri + j + 1] as number;
      let s2 = a[ri + j + 2] as number;
      let s3 = a[ri + j + 3] as number;
      for (let k = 0; k < j; k++) {
        const lik = l[ri + k] as number;
        s0 -= lik * (l[r0 + k] as number);
        s1 -= lik * (l[r1 + k] as number);
        s2 -= lik * (l[r2 + k] as number);
        s3 -= lik * (l[r3 + k] as number);
      }
      const l0 = s0 / (l[r0 + j] as number);
      s1 -= l0 * (l[r1 + j] as number);
      s2 -= l0 * (l[r2 + j] as number);
      s3 -= l0 * (l[r3 + j] as number);
      const l1 = s1 / (l[r1 + j + 1] as number);
      s2 -= l1 * (l[r2 + j + 1] as number);
      s3 -= l1 * (l[r3 + j + 1] as number);
      const l2 = s2 / (l[r2 + j + 2] as number);
      s3 -= l2 * (l[r3 + j + 2] as number);
      l[ri + j] = l0;
      l[ri + j + 1] = l1;
      l[ri + j + 2] = l2;
      l[ri + j + 3] = s3 / (l[r3 + j + 3] as number);
    }
    for (; j <= i; j++) {
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
 * spares a column-order pass. `scratch` and `out` (n×n each) may be passed to reuse buffers; `out`
 * is then overwritten on and below the diagonal (and above it too unless `lowerOnly`).
 */
export function inverseFromCholesky(l: Float64Array, n: number, lowerOnly = false, scratch?: Float64Array, out?: Float64Array): Float64Array {
  // V = L⁻ᵀ (upper triangular), kept row-major so that both passes below are dot products of two
  // contiguous rows: row j of V is column j of L⁻¹, V_jj = 1/L_jj and, for i > j,
  // V_ji = −(Σ_{k=j}^{i−1} L_ik V_jk) / L_ii. (An axpy form, loading and storing a row per
  // multiply-add, ran at half the speed; the likelihood's gradient spends most of its time here.)
  // Rows j and j + 1 go together, sharing the loads of L's rows.
  const v = scratch ?? new Float64Array(n * n);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const r0 = j * n;
    const r1 = r0 + n;
    v[r0 + j] = 1 / (l[r0 + j] as number);
    v[r1 + j + 1] = 1 / (l[r1 + j + 1] as number);
    v[r0 + j + 1] = -((l[r1 + j] as number) * (v[r0 + j] as number)) / (l[r1 + j + 1] as number);
    for (let i = j + 2; i < n; i++) {
      const ri = i * n;
      let s0 = (l[ri + j] as number) * (v[r0 + j] as number);
      let s1 = 0;
      for (let k = j + 1; k < i; k++) {
        const lik = l[ri + k] as number;
        s0 += lik * (v[r0 + k] as number);
        s1 += lik * (v[r1 + k] as number);
      }
      const lii = l[ri + i] as number;
      v[r0 + i] = -s0 / lii;
      v[r1 + i] = -s1 / lii;
    }
  }
  if (j < n) v[j * n + j] = 1 / (l[j * n + j] as number);
  // A⁻¹_ij = Σ_k V_ik V_jk over k ≥ max(i, j), both rows contiguous from k = i when i ≥ j.
  // Four entries of a row at a time share the loads of row i; the last few go one by one.
  const inv = out ?? new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const r0 = j * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = i; k < n; k++) {
        const vik = v[ri + k] as number;
        s0 += vik * (v[r0 + k] as number);
        s1 += vik * (v[r1 + k] as number);
        s2 += vik * (v[r2 + k] as number);
        s3 += vik * (v[r3 + k] as number);
      }
      inv[ri + j] = s0;
      inv[ri + j + 1] = s1;
      inv[ri + j + 2] = s2;
      inv[ri + j + 3] = s3;
    }
    for (; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += (v[ri + k] as number) * (v[rj + k] as number);
      inv[ri + j] = s;
    }
  }
  if (!lowerOnly) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j] as number;
  return inv;
}
