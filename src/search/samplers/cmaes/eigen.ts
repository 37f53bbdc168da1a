/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major) by the cyclic Jacobi method: slow for
 * big matrices but accurate to round-off, which CMA-ES's C^(-1/2) needs; n is a few dozen here.
 * Returns eigenvalues in ascending order and the eigenvectors as the columns of B (A = B diag(values) Bᵀ):
 * ascending as numpy.linalg.eigh, so that CMA-ES's no-effect-axis rule, which checks axis
 * generation mod n, checks the same principal axis as the `cmaes` package in each generation.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += (m[i * n + i] as number) ** 2;
      for (let j = i + 1; j < n; j++) off += (m[i * n + j] as number) ** 2;
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q] as number;
        if (apq === 0) continue;
        const app = m[p * n + p] as number;
        const aqq = m[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p] as number;
          const akq = m[k * n + q] as number;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k] as number;
          const aqk = m[q * n + k] as number;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const diagonal = Float64Array.from({ length: n }, (_, i) => m[i * n + i] as number);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (diagonal[i] as number) - (diagonal[j] as number));
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from] as number;
  });
  return { values: Float64Array.from(order, (i) => diagonal[i] as number), vectors };
}
