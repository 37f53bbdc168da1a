import { InvalidOptionError } from '../../../errors.js';

/** How many of the n finished trials form the "good" set: min(ceil(0.1·n), 25), as Optuna. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Hyperopt's rule: min(ceil(0.25·√n), 25). */
export function hyperoptGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/**
 * Observation weights, oldest first: the newest 25 weigh 1, older ones ramp linearly from 1/n
 * up to 1 (Bergstra et al. 2013), so a long history fades instead of dominating.
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n);
  if (n < 25) return w.fill(1);
  const ramp = n - 25;
  // linspace(1/n, 1, ramp)
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  for (let i = ramp; i < n; i++) w[i] = 1;
  return w;
}

/** Calls a user's weights function and checks what it returns. */
export function callWeights(fn: (n: number) => ArrayLike<number>, n: number): Float64Array {
  const raw = fn(n);
  if (raw === null || typeof raw !== 'object' || typeof raw.length !== 'number' || raw.length < n) {
    throw new InvalidOptionError(`TPESampler weights(${n}) must return an array of at least ${n} numbers`);
  }
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = raw[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidOptionError(`TPESampler weights(${n}) returned ${String(v)} at index ${i}; weights must be finite and non-negative`);
    }
    w[i] = v;
    sum += v;
  }
  if (n > 0 && sum <= 0) throw new InvalidOptionError(`TPESampler weights(${n}) returned only zeros; at least one weight must be positive`);
  return w;
}
