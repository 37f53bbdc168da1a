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
