import type * as Tf from '@tensorflow/tfjs';
import type { WindowDataset } from '../data/windows/window-dataset.js';
import type { EvalCache } from '../cache/eval-cache.js';
import { evaluationKey, sourceIdentity } from '../cache/keys.js';
import { FixedTrial } from '../trial/fixed-trial.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { TfModule } from '../tf/module.js';
import { canonicalJson, type JsonValue } from '../util/json.js';
import { modelMetrics } from './evaluate.js';
import { fitFamily } from './fit.js';
import type { ForecastMetrics } from './metrics.js';
import type { ModelData } from './model-data.js';
import { predictPart, type TrainingLoss } from './train.js';
import type { SpaceOverrides } from './space-overrides.js';

export interface BestTestMetrics {
  readonly test: ForecastMetrics;
  readonly backend: string;
  /** The model's test forecasts in the target's original units, [count × horizon]. */
  readonly forecast: readonly number[];
}

interface Settings {
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
  readonly loss: TrainingLoss;
  readonly space: Readonly<Record<string, SpaceOverrides>>;
}

/**
 * Test metrics of a family's best trial: its configuration trained again with its seed (the
 * same model as in the trial on cpu and wasm) and scored once on the test part. With a cache,
 * the result is memoized like the trials themselves, so a re-run served from the cache does
 * not spend a whole training on the comparison table.
 */
export async function bestTestMetrics(
  tf: TfModule,
  ds: WindowDataset,
  data: ModelData,
  family: string,
  best: FrozenTrial,
  settings: Settings,
  cache: EvalCache | undefined,
  /** Called with the scored model before it is disposed (to save it); not called on a cache hit. */
  onScored?: (model: Tf.LayersModel) => Promise<void>,
): Promise<BestTestMetrics> {
  const version = cache?.scopeVersion();
  const key = evaluationKey(
    {
      objective: sourceIdentity(fitFamily),
      datasetFingerprint: ds.fingerprint,
      seed: settings.seed,
      context: canonicalJson({
        family,
        epochs: settings.epochs,
        patience: settings.patience,
        trialNumber: best.number,
        backend: tf.getBackend(),
        ...(settings.loss !== 'mse' && { loss: settings.loss }),
        ...(settings.space[family] !== undefined && { space: settings.space[family] as JsonValue }),
      }),
      ...(version !== undefined && { version }),
    },
    { metrics: 'test', ...best.params } as Record<string, JsonValue>,
  );
  const hit = await cache?.get(key);
  if (isBestTestMetrics(hit)) return hit;
  const fitted = await fitFamily(tf, new FixedTrial(best.params, best.number), data, {
    family,
    epochs: settings.epochs,
    patience: settings.patience,
    seed: settings.seed,
    loss: settings.loss,
    ...(settings.space[family] !== undefined && { space: settings.space[family] }),
  });
  let out: BestTestMetrics;
  try {
    const scaled = predictPart(tf, fitted.model, data, data.test, fitted.training.lookback);
    out = { test: modelMetrics(ds, 'test', scaled), backend: fitted.backend, forecast: [...ds.inverseTarget(scaled, 'test')] };
    await onScored?.(fitted.model);
  } finally {
    fitted.model.dispose();
    await fitted.restoreBackend();
  }
  // JSON has no NaN (a directional accuracy with no moves): such a result is recomputed, not mangled.
  if (cache && Object.values(out.test).every(Number.isFinite) && out.forecast.every(Number.isFinite)) await cache.set(key, out as unknown as JsonValue);
  return out;
}

function isBestTestMetrics(value: unknown): value is BestTestMetrics {
  const v = value as BestTestMetrics | undefined;
  return typeof v === 'object' && v !== null && typeof v.backend === 'string' && typeof v.test === 'object' && v.test !== null && typeof v.test.rmse === 'number' && Array.isArray(v.forecast);
}
