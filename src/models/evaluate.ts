import type { WindowDataset, PartName } from '../data/windows/window-dataset.js';
import { scaleValue } from '../data/windows/scaler.js';
import { constantLoss, forecastMetrics, persistenceForecast, type ForecastMetrics } from './metrics.js';

/**
 * The "no change" forecast in the model's own units (scaled targets): a zero return for
 * logReturn/pctChange targets, the last observed value for untransformed ones.
 */
export function noChangeScaled(ds: WindowDataset, part: PartName): Float32Array {
  const p = ds[part];
  const out = new Float32Array(p.count * ds.horizon);
  for (let s = 0; s < p.count; s++) {
    const level = ds.transform === 'none' ? (p.base[s] as number) : 0;
    out.fill(scaleValue(ds.targetScaler, level), s * ds.horizon, (s + 1) * ds.horizon);
  }
  return out;
}

/** The validation loss (MSE in scaled units) of the zero-return baseline: what a model's val loss must beat. */
export function zeroReturnLoss(ds: WindowDataset, part: PartName): number {
  const forecast = noChangeScaled(ds, part);
  const targets = ds[part].targets;
  let se = 0;
  for (let i = 0; i < targets.length; i++) se += ((targets[i] as number) - (forecast[i] as number)) ** 2;
  return targets.length === 0 ? NaN : se / targets.length;
}

/** A model's scaled outputs for a part, as metrics in the target's original units. */
export function modelMetrics(ds: WindowDataset, part: PartName, scaledPredictions: ArrayLike<number>): ForecastMetrics {
  return forecastMetrics(ds.actualTarget(part), ds.inverseTarget(scaledPredictions, part), ds[part].base, ds.horizon);
}

/** Persistence (tomorrow equals today) on a part, in original units. */
export function persistenceMetrics(ds: WindowDataset, part: PartName): ForecastMetrics {
  return forecastMetrics(ds.actualTarget(part), persistenceForecast(ds[part].base, ds.horizon), ds[part].base, ds.horizon);
}

export { constantLoss };
