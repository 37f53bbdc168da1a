import type { Distribution } from '../../trial/distributions.js';
import { snap } from '../../trial/distributions.js';
import type { Rng } from '../../util/rng.js';

/** One uniform draw from a distribution (log-uniform for log ranges), in internal representation. */
export function sampleUniform(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case 'categorical':
      return rng.int(d.choices.length);
    case 'int':
      if (d.log) {
        // Log-uniform over [low - 0.5, high + 0.5] so every integer gets its share, as Optuna does.
        const x = Math.exp(rng.uniform(Math.log(d.low - 0.5), Math.log(d.high + 0.5)));
        return snap(d, x);
      }
      return d.low + rng.int(Math.floor((d.high - d.low) / d.step) + 1) * d.step;
    case 'float':
      if (d.log) return snap(d, Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high))));
      if (d.step !== null) return snap(d, d.low + rng.int(Math.round((d.high - d.low) / d.step) + 1) * d.step);
      return snap(d, rng.uniform(d.low, d.high));
  }
}
