/** Forecast quality in the target's original units (prices). */
export interface ForecastMetrics {
  readonly rmse: number;
  readonly mae: number;
  /** Mean absolute percentage error, in percent. */
  readonly mape: number;
  /**
   * Share of samples where the forecast moved in the direction the price moved (from each
   * sample's last observed price); samples where either did not move are left out. NaN if none moved.
   */
  readonly directionalAccuracy: number;
}

/**
 * Metrics for forecasts against actual values, both [count × horizon], with `base` the last
 * observed value of each sample (the reference for direction).
 */
export function forecastMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>, base: ArrayLike<number>, horizon = 1): ForecastMetrics {
  if (actual.length !== predicted.length) throw new RangeError(`forecastMetrics: ${actual.length} actual values but ${predicted.length} predictions`);
  let se = 0;
  let ae = 0;
  let ape = 0;
  let apeCount = 0;
  let hits = 0;
  let moves = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const p = predicted[i] as number;
    const e = p - a;
    se += e * e;
    ae += Math.abs(e);
    if (a !== 0) {
      ape += Math.abs(e / a);
      apeCount++;
    }
    const b = base[Math.floor(i / horizon)] as number;
    const actualMove = Math.sign(a - b);
    const predictedMove = Math.sign(p - b);
    if (actualMove !== 0 && predictedMove !== 0) {
      moves++;
      if (actualMove === predictedMove) hits++;
    }
  }
  const n = Math.max(1, actual.length);
  return {
    rmse: Math.sqrt(se / n),
    mae: ae / n,
    mape: apeCount === 0 ? NaN : (100 * ape) / apeCount,
    directionalAccuracy: moves === 0 ? NaN : hits / moves,
  };
}

/** Persistence: tomorrow equals today — each horizon step forecast as the last observed value. */
export function persistenceForecast(base: ArrayLike<number>, horizon: number): Float64Array {
  const out = new Float64Array(base.length * horizon);
  for (let s = 0; s < base.length; s++) out.fill(base[s] as number, s * horizon, s * horizon + horizon);
  return out;
}

/** The mean squared error of always predicting `constant` (in scaled units: the zero-return baseline's loss). */
export function constantLoss(targets: ArrayLike<number>, constant: number): number {
  let se = 0;
  for (let i = 0; i < targets.length; i++) se += ((targets[i] as number) - constant) ** 2;
  return se / Math.max(1, targets.length);
}
