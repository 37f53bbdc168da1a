import { inspect } from 'node:util';

/**
 * One-line text for values a REPL or a notebook cell prints (a study's best params, a trial).
 * Numbers keep 6 significant digits, so `lr: 0.020153178393113317` reads `lr: 0.0201532`;
 * whole numbers and values already that short print as given.
 */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e9) return String(Number(v.toPrecision(6)));
  return v.toExponential(5).replace(/\.?0+e/, 'e');
}

/** The same value with every number rounded for reading (plain objects and arrays, one level deep each). */
function rounded(value: unknown, depth: number): unknown {
  if (typeof value === 'number') return Number.isFinite(value) && !Number.isInteger(value) ? Number(shortNumber(value)) : value;
  if (depth <= 0) return value;
  if (Array.isArray(value)) return value.map((v) => rounded(v, depth - 1));
  if (typeof value === 'object' && value !== null && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v, depth - 1)]));
  }
  return value;
}

/** `{ x: 0.767977, optimizer: 'adam' }`: util.inspect's syntax on one line, numbers rounded. */
export function shortValue(value: unknown): string {
  return inspect(rounded(value, 3), { breakLength: Infinity, depth: 2, maxArrayLength: 10, maxStringLength: 80 });
}
