import { snap, type Distribution } from '../../trial/distributions.js';

/**
 * Maps u in [0, 1) onto a distribution, in internal representation, so that a uniform u gives
 * the distribution's uniform (log-uniform for log ranges): equal-width cells for choices, integers
 * and stepped floats, the log range widened by half a unit each side for log integers (as Optuna).
 */
export function fromUnit(d: Distribution, u: number): number {
  const t = Math.min(Math.max(u, 0), 1);
  switch (d.kind) {
    case 'categorical':
      return Math.min(Math.floor(t * d.choices.length), d.choices.length - 1);
    case 'int': {
      if (d.log) {
        const lo = Math.log(d.low - 0.5);
        const hi = Math.log(d.high + 0.5);
        return snap(d, Math.exp(lo + t * (hi - lo)));
      }
      const n = Math.floor((d.high - d.low) / d.step) + 1;
      return d.low + Math.min(Math.floor(t * n), n - 1) * d.step;
    }
    case 'float': {
      if (d.log) return snap(d, Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low))));
      if (d.step !== null) {
        const n = Math.round((d.high - d.low) / d.step) + 1;
        return snap(d, d.low + Math.min(Math.floor(t * n), n - 1) * d.step);
      }
      return snap(d, d.low + t * (d.high - d.low));
    }
  }
}
