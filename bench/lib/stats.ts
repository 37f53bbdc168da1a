/** Percentile with linear interpolation between order statistics (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** 4 significant digits, as the anchors file prints them. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-4)) {
    const [m, e] = v.toExponential(3).split('e') as [string, string];
    return `${Number(m)}e${e.startsWith('-') ? '-' : '+'}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return String(Number(v.toPrecision(4)));
}

export function summary(values: readonly number[]): string {
  return `${fmt(percentile(values, 50))} [${fmt(percentile(values, 25))}–${fmt(percentile(values, 75))}]`;
}

/**
 * Mann–Whitney U test of "a tends to be smaller than b" against "neither tends to be smaller":
 * pBetter = P(a < b) + ½·P(a = b) over all pairs (0.5 = no difference), and the two-sided
 * p-value from the normal approximation with tie correction (fine from about 8 values a side).
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): { pBetter: number; p: number } {
  const n1 = a.length;
  const n2 = b.length;
  const all = [...a.map((v) => ({ v, fromA: true })), ...b.map((v) => ({ v, fromA: false }))].sort((x, y) => x.v - y.v);
  const n = all.length;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    for (let k = i; k <= j; k++) if ((all[k] as { fromA: boolean }).fromA) rankSumA += rank;
    i = j + 1;
  }
  // U counts pairs where a is larger; pairs where a is smaller are n1·n2 − U.
  const uLarger = rankSumA - (n1 * (n1 + 1)) / 2;
  const pBetter = 1 - uLarger / (n1 * n2);
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? (Math.abs(uLarger - mean) - 0.5) / Math.sqrt(variance) : 0;
  return { pBetter, p: Math.min(1, 2 * normalUpperTail(Math.max(z, 0))) };
}

/** P(Z > z) for a standard normal (Abramowitz–Stegun 26.2.17, |error| < 7.5e-8). */
function normalUpperTail(z: number): number {
  const t = 1 / (1 + 0.2316419 * z);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * poly;
}
