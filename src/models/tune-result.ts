import { inspect } from 'node:util';
import type * as Tf from '@tensorflow/tfjs';
import type { PartName, WindowDataset } from '../data/windows/window-dataset.js';
import { NoCompletedTrialsError, InvalidOptionError } from '../errors.js';
import type { ParamValue } from '../trial/distributions.js';
import { FixedTrial } from '../trial/fixed-trial.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { TfModule } from '../tf/module.js';
import type { JsonValue } from '../util/json.js';
import type { Study } from '../study/study.js';
import type { BackendName } from '../tf/backend.js';
import { persistenceMetrics, zeroReturnLoss } from './evaluate.js';
import { fitFamily } from './fit.js';
import { bestTestMetrics } from './best-test-metrics.js';
import type { EvalCache } from '../cache/eval-cache.js';
import type { ForecastMetrics } from './metrics.js';
import { modelDataOf, type ModelData, type ModelPart } from './model-data.js';
import { predictPart, type TrainingLoss } from './train.js';
import type { SpaceOverrides } from './space-overrides.js';
import { captureModel, modelDirOf, readSavedModel, restoreModel, sameTag, writeSavedModel, type SavedModel, type SavedModelTag } from './saved-models.js';
import { persistenceForecast } from './metrics.js';
import { dieboldMariano, type Alternative, type DieboldMarianoResult, type LossKind } from './significance.js';
import { Backtest, backtestForecast, type BacktestOptions } from './backtest.js';
import { toRenderDocument } from '../render/to-document.js';
import { documentOf, type RenderDocument, type Summary } from '../render/table.js';
import { recordsTable } from '../render/view-models/object.js';
import { reportStudies } from '../render/report/write-html-report.js';

export interface FamilyRun {
  readonly family: string;
  readonly study: Study;
  /** When this run of the family began (ms since the epoch): its trials are those started since. */
  readonly startedAt: number;
}

/**
 * The seconds a family's trials of this run took, summed. Not its wall time: with workers the
 * families run side by side, and their wall times overlap.
 */
function trialSeconds(run: FamilyRun): number {
  let ms = 0;
  for (const t of run.study.trials) {
    if (t.datetimeStart !== undefined && t.datetimeStart.getTime() >= run.startedAt) ms += t.durationMs ?? 0;
  }
  return ms / 1000;
}

interface RunSettings {
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
  /** Wall seconds of the tuning itself (every family's trials), before the test scoring. */
  readonly tuningSeconds: number;
  /** Workers the trials ran on (0: the calling thread). */
  readonly workers: number;
  readonly loss: TrainingLoss;
  readonly space: Readonly<Record<string, SpaceOverrides>>;
  readonly objective: 'loss' | 'sharpe';
}

/** One row of the comparison table. */
export interface FamilyRow {
  readonly family: string;
  readonly backend: string;
  /** Best validation loss (MSE on scaled targets), and the zero-return baseline's in the same units. */
  readonly bestValLoss: number | undefined;
  readonly zeroReturnValLoss: number;
  /** Test metrics of the best configuration, in the target's original units. */
  readonly test: ForecastMetrics | undefined;
  readonly persistence: ForecastMetrics;
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
  readonly cached: number;
  /** The seconds its trials of this run took, summed (see trialSeconds). */
  readonly seconds: number;
  /** The seconds all its stored trials took, this run's and a resumed study's earlier ones. */
  readonly storedSeconds: number;
  readonly bestParams: Readonly<Record<string, ParamValue>> | undefined;
  /** Tensors a trial left behind (should be 0): a leak shows here, not hidden. */
  readonly leakedTensors: number;
  /** The scored model's test forecasts in the target's units, [count × horizon]. */
  readonly testForecast: Float64Array | undefined;
}

/** A model rebuilt from a family's best params, to forecast with. Dispose it when done. */
export interface RefitModel {
  readonly family: string;
  readonly model: Tf.LayersModel;
  /** Forecasts for a part of the dataset, in the target's original units (prices). */
  forecast(part: PartName): Float64Array;
  dispose(): void;
}

function count(trials: readonly FrozenTrial[], state: string): number {
  return trials.filter((t) => t.state === state).length;
}

/** What tune() returns: one study per family, compared on validation and test against the baselines. */
export class TuneResult {
  readonly backend: BackendName;
  readonly dataset: WindowDataset;
  readonly rows: readonly FamilyRow[];
  readonly #studies: ReadonlyMap<string, Study>;
  readonly #tf: TfModule;
  readonly #settings: RunSettings;
  /** Each family's scored model (topology and weights), as saved beside its study. */
  readonly #saved: Map<string, SavedModel>;

  /** Wall seconds the tuning took, all families (with workers they run side by side), before the test scoring. */
  get tuningSeconds(): number {
    return this.#settings.tuningSeconds;
  }

  private constructor(tf: TfModule, backend: BackendName, dataset: WindowDataset, rows: FamilyRow[], studies: Map<string, Study>, settings: RunSettings, saved: Map<string, SavedModel>) {
    this.#saved = saved;
    this.#tf = tf;
    this.backend = backend;
    this.dataset = dataset;
    this.rows = rows;
    this.#studies = studies;
    this.#settings = settings;
  }

  /**
   * Builds the comparison: for each family, the best trial's configuration is trained again with
   * its seed (the same model as in the trial on cpu and wasm) and scored once on the test part
   * (memoized in `cache` when tune() runs with one).
   */
  static async create(tf: TfModule, backend: BackendName, ds: WindowDataset, runs: readonly FamilyRun[], settings: RunSettings, cache?: EvalCache): Promise<TuneResult> {
    const data = modelDataOf(ds);
    const zeroReturnValLoss = zeroReturnLoss(ds, 'val');
    const persistence = persistenceMetrics(ds, 'test');
    const rows: FamilyRow[] = [];
    const saved = new Map<string, SavedModel>();
    for (const run of runs) {
      const trials = run.study.trials;
      const complete = trials.filter((t) => t.state === 'COMPLETE' && t.value !== undefined);
      const best = complete.length > 0 ? run.study.bestTrial : undefined;
      let test: ForecastMetrics | undefined;
      let testForecast: Float64Array | undefined;
      let familyBackend = String(best?.userAttrs['backend'] ?? backend);
      if (best) {
        const tag = tagOf(run.family, best, ds);
        const scored = await bestTestMetrics(tf, ds, data, run.family, best, settings, cache, async (model) => {
          const model_ = await captureModel(tf, model, tag);
          saved.set(run.family, model_);
          const dir = modelDirOf(run.study);
          if (dir !== undefined) await writeSavedModel(tf, dir, model_);
        });
        test = scored.test;
        testForecast = Float64Array.from(scored.forecast);
        familyBackend = scored.backend;
      }
      rows.push({
        family: run.family,
        backend: familyBackend,
        bestValLoss: best?.value,
        zeroReturnValLoss,
        test,
        persistence,
        complete: count(trials, 'COMPLETE'),
        pruned: count(trials, 'PRUNED'),
        failed: count(trials, 'FAIL'),
        cached: trials.filter((t) => t.systemAttrs['cached'] === true).length,
        seconds: trialSeconds(run),
        storedSeconds: trials.reduce((ms, t) => ms + (t.durationMs ?? 0), 0) / 1000,
        bestParams: best?.params,
        leakedTensors: trials.reduce((n, t) => n + (typeof t.userAttrs['leakedTensors'] === 'number' ? (t.userAttrs['leakedTensors'] as number) : 0), 0),
        testForecast,
      });
    }
    return new TuneResult(tf, backend, ds, rows, new Map(runs.map((r) => [r.family, r.study])), settings, saved);
  }

  /** The family with the lowest validation loss. */
  get best(): FamilyRow {
    const sign = this.#settings.objective === 'sharpe' ? -1 : 1;
    const ranked = this.rows.filter((r) => r.bestValLoss !== undefined).sort((a, b) => sign * ((a.bestValLoss as number) - (b.bestValLoss as number)));
    const first = ranked[0];
    if (!first) throw new NoCompletedTrialsError(this.rows.map((r) => r.family).join(', '), 'best model family');
    return first;
  }

  study(family: string): Study {
    const s = this.#studies.get(family);
    if (!s) throw new InvalidOptionError(`no study for family '${family}' in this result; families: ${[...this.#studies.keys()].join(', ')}`);
    return s;
  }

  #row(family: string): FamilyRow {
    this.study(family);
    return this.rows.find((r) => r.family === family) as FamilyRow;
  }

  /** A family's scored test forecasts (prices), or a clear error when it finished no trial. */
  testForecast(family: string): Float64Array {
    const f = this.#row(family).testForecast;
    if (!f) throw new NoCompletedTrialsError(family, `test forecasts of '${family}'`);
    return f;
  }

  /**
   * Is the family's forecast better than another on the test part? The Diebold–Mariano test with
   * the Harvey–Leybourne–Newbold correction on the last forecast step's errors (in the target's
   * units). `against`: 'persistence' (tomorrow equals today) or another family of this result.
   */
  async compare(family: string, options: { readonly against?: string; readonly loss?: LossKind; readonly alternative?: Alternative } = {}): Promise<DieboldMarianoResult & { readonly against: string }> {
    const against = options.against ?? 'persistence';
    const ds = this.dataset;
    const H = ds.horizon;
    const actual = ds.actualTarget('test');
    const ours = this.testForecast(family);
    let theirs: ArrayLike<number>;
    if (against === 'persistence') theirs = persistenceForecast(ds.test.base, H);
    else if (this.#studies.has(against)) theirs = this.testForecast(against);
    else throw new InvalidOptionError(`compare(${family}, { against: ${JSON.stringify(against)} }): against must be 'persistence' or a family of this result (${[...this.#studies.keys()].join(', ')})`);
    const step = (f: ArrayLike<number>): Float64Array => Float64Array.from({ length: ds.test.count }, (_, s) => (f[s * H + H - 1] as number) - (actual[s * H + H - 1] as number));
    const result = dieboldMariano(step(ours), step(theirs), { horizon: H, ...(options.loss !== undefined && { loss: options.loss }), ...(options.alternative !== undefined && { alternative: options.alternative }) });
    return { ...result, against };
  }

  /**
   * The family's test forecasts traded: long when the forecast return is positive, short (or flat,
   * with position 'long-only') when negative, net of `fee` + `slippage` on every position change,
   * beside buy-and-hold. No look-ahead: each period's position uses only the forecast made at the
   * close before it.
   */
  async backtest(family: string, options: BacktestOptions = {}): Promise<Backtest> {
    return backtestForecast(this.dataset, 'test', this.testForecast(family), family, options);
  }

  /** The last (or first) test samples as a table: date, actual, forecast, persistence (first forecast step). */
  forecastTable(family: string, part: 'test' = 'test', options: { readonly last?: number; readonly first?: number } = {}): Array<Record<string, string | number>> {
    if (part !== 'test') throw new InvalidOptionError(`forecastTable(${family}, ${JSON.stringify(part)}): only 'test' forecasts are kept; refit(family) forecasts other parts`);
    const ds = this.dataset;
    const p = ds.test;
    const H = ds.horizon;
    const forecast = this.testForecast(family);
    const actual = ds.actualTarget('test');
    const take = options.last ?? options.first ?? p.count;
    if (!Number.isInteger(take) || take < 1) throw new InvalidOptionError(`forecastTable: last/first must be a whole number >= 1, got ${String(take)}`);
    const from = options.first !== undefined ? 0 : Math.max(0, p.count - take);
    const to = Math.min(p.count, from + take);
    const rows: Array<Record<string, string | number>> = [];
    const round = (v: number): number => Number(v.toPrecision(6));
    for (let s = from; s < to; s++) {
      const t = p.times?.[s];
      rows.push({
        date: t === undefined ? `sample ${s}` : new Date(t).toISOString().slice(0, t % 86_400_000 === 0 ? 10 : 16).replace('T', ' '),
        actual: round(actual[s * H] as number),
        [family]: round(forecast[s * H] as number),
        persistence: round(p.base[s] as number),
      });
    }
    return rows;
  }

  /**
   * The comparison as plain rows (what show() renders), best selection score first, then each
   * naive baseline once as its own row; ✓/✗ says whether a family beat them (validation loss
   * against a zero return, test RMSE against persistence).
   */
  table(): Array<Record<string, string | number>> {
    const fmt = (v: number | undefined, digits = 4): number | string => (v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(digits)));
    const beats = (v: number | undefined, baseline: number): string => (v === undefined || Number.isNaN(v) || Number.isNaN(baseline) ? '—' : v < baseline ? '✓' : '✗');
    const anyBefore = this.rows.some((r) => r.storedSeconds > r.seconds + 1e-9);
    const sharpe = this.#settings.objective === 'sharpe';
    const folds = this.dataset.folds.length;
    const valKey = `${sharpe ? 'val Sharpe' : 'val loss'}${folds > 0 ? `, mean of ${folds} folds` : ''}`;
    const worst = sharpe ? -Infinity : Infinity;
    const families = [...this.rows]
      .sort((a, b) => (sharpe ? -1 : 1) * ((a.bestValLoss ?? worst) - (b.bestValLoss ?? worst)))
      .map((r) => ({
        model: r.family,
        backend: r.backend,
        [valKey]: fmt(r.bestValLoss),
        'test RMSE': fmt(r.test?.rmse),
        'test MAE': fmt(r.test?.mae),
        'test MAPE %': fmt(r.test?.mape, 3),
        'direction hit %': r.test === undefined || Number.isNaN(r.test.directionalAccuracy) ? '—' : Number((100 * r.test.directionalAccuracy).toFixed(1)),
        'beats zero return (val)': sharpe ? '—' : beats(r.bestValLoss, r.zeroReturnValLoss),
        'beats persistence (test RMSE)': beats(r.test?.rmse, r.persistence.rmse),
        trials: `${r.complete} ok, ${r.pruned} pruned, ${r.failed} failed${r.cached > 0 ? `, ${r.cached} cached` : ''}`,
        // A resumed study's trials ran before this run: their stored time is shown, not 0 s.
        'trial time (s)': Number(r.storedSeconds.toFixed(1)),
        ...(anyBefore && { 'this run (s)': Number(r.seconds.toFixed(1)) }),
      }));
    const first = this.rows[0];
    if (first === undefined) return families;
    const blank = { backend: '—', 'test RMSE': '—', 'test MAE': '—', 'test MAPE %': '—', 'direction hit %': '—', 'beats zero return (val)': '', 'beats persistence (test RMSE)': '', trials: '', 'trial time (s)': '—' };
    return [
      ...families,
      { model: 'baseline: zero return', ...blank, [valKey]: sharpe ? '—' : fmt(first.zeroReturnValLoss) },
      {
        model: 'baseline: persistence',
        ...blank,
        [valKey]: '—',
        'test RMSE': fmt(first.persistence.rmse),
        'test MAE': fmt(first.persistence.mae),
        'test MAPE %': fmt(first.persistence.mape, 3),
        'direction hit %': Number.isNaN(first.persistence.directionalAccuracy) ? '—' : Number((100 * first.persistence.directionalAccuracy).toFixed(1)),
      },
    ];
  }

  /**
   * The family's scored model (the one behind the test metrics, forecasts, compare and backtest),
   * without retraining: from this result, or from `<storage directory>/models/<study>/` (tf.io's
   * model.json + weights.bin) when the study lives in LevelDB. A saved model of another trial or
   * dataset is never used; if none fits, the best configuration is trained again as it was scored,
   * and saved.
   */
  async load(family: string): Promise<RefitModel> {
    const study = this.study(family);
    const best = study.bestTrial;
    const tag = tagOf(family, best, this.dataset);
    const dir = modelDirOf(study);
    let saved = this.#saved.get(family);
    if (!saved || !sameTag(saved.tag, tag)) saved = dir === undefined ? undefined : await readSavedModel(dir);
    if (!saved || !sameTag(saved.tag, tag)) {
      const tf = this.#tf;
      const fitted = await fitFamily(tf, new FixedTrial(best.params, best.number), modelDataOf(this.dataset), {
        family,
        epochs: this.#settings.epochs,
        patience: this.#settings.patience,
        seed: this.#settings.seed,
        loss: this.#settings.loss,
        ...(this.#settings.space[family] !== undefined && { space: this.#settings.space[family] }),
      });
      try {
        saved = await captureModel(tf, fitted.model, tag);
      } finally {
        fitted.model.dispose();
        await fitted.restoreBackend();
      }
      if (dir !== undefined) await writeSavedModel(tf, dir, saved);
    }
    this.#saved.set(family, saved);
    const model = await restoreModel(this.#tf, saved);
    return this.#forecaster(family, model, () => model.dispose());
  }

  #forecaster(family: string, model: Tf.LayersModel, dispose: () => void): RefitModel {
    const tf = this.#tf;
    const ds = this.dataset;
    const data = modelDataOf(ds);
    const steps = model.inputs[0]?.shape[1];
    const lookback = typeof steps === 'number' ? steps : ds.lookback;
    return { family, model, forecast: (part) => ds.inverseTarget(predictPart(tf, model, data, data[part], lookback), part), dispose };
  }

  /**
   * Rebuilds a family's best configuration on train + validation (for the best trial's number of
   * epochs, no early stopping: validation is now training data) and returns it to forecast with.
   */
  async refit(family: string): Promise<RefitModel> {
    const best = this.study(family).bestTrial;
    const data = modelDataOf(this.dataset);
    const joined = joinParts(data.train, data.val, data.lookback * data.features, data.horizon);
    const epochs = typeof best.userAttrs['bestEpoch'] === 'number' ? (best.userAttrs['bestEpoch'] as number) + 1 : this.#settings.epochs;
    const trainAll: ModelData = { ...data, train: joined, val: data.val };
    const fitted = await fitFamily(this.#tf, new FixedTrial(best.params, best.number), trainAll, { family, epochs, patience: epochs, seed: this.#settings.seed, loss: this.#settings.loss, ...(this.#settings.space[family] !== undefined && { space: this.#settings.space[family] }) });
    const tf = this.#tf;
    const ds = this.dataset;
    const refit: RefitModel = {
      family,
      model: fitted.model,
      forecast: (part) => ds.inverseTarget(predictPart(tf, fitted.model, data, data[part], fitted.training.lookback), part),
      dispose: () => {
        fitted.model.dispose();
        void fitted.restoreBackend();
      },
    };
    // Printed as one line, not the ~150 lines of TF.js model internals under `model`.
    const text = `RefitModel ${family}: ${modelText(fitted.model)}, trained ${epochs} epochs on train + val (${joined.count.toLocaleString('en-US')} windows); .forecast('test') in ${ds.target} units, .dispose() when done`;
    Object.defineProperty(refit, inspect.custom, { value: () => text, enumerable: false });
    return refit;
  }

  [toRenderDocument](): RenderDocument {
    const ds = this.dataset;
    const best = this.rows.some((r) => r.bestValLoss !== undefined) ? this.best : undefined;
    const summary: Summary = {
      kind: 'summary',
      title: 'Model comparison',
      items: [
        { label: 'dataset', cell: { kind: 'text', value: `${ds.target} (${ds.transform}), lookback ${ds.lookback}, horizon ${ds.horizon}, ${ds.train.count}/${ds.val.count}/${ds.test.count} train/val/test windows` } },
        { label: 'backend', cell: { kind: 'text', value: this.backend } },
        {
          label: 'tuning',
          cell: { kind: 'text', value: `${this.tuningSeconds.toFixed(1)} s wall, ${this.#settings.workers === 0 ? 'in the calling thread' : `${this.#settings.workers} worker${this.#settings.workers === 1 ? '' : 's'}`}` },
        },
        {
          label: 'best',
          cell: {
            kind: 'text',
            value: best
              ? `${best.family}: val loss ${best.bestValLoss?.toPrecision(4)} vs ${best.zeroReturnValLoss.toPrecision(4)} for a zero return${best.test ? `; test RMSE ${best.test.rmse.toPrecision(4)} vs ${best.persistence.rmse.toPrecision(4)} for persistence` : ''}`
              : 'no family finished a trial',
          },
        },
      ],
    };
    const table = recordsTable(this.table(), { title: 'Best of each family, then the naive baselines (test metrics in price units)' });
    return documentOf(summary, table);
  }

  [reportStudies](): Study[] {
    return [...this.#studies.values()];
  }

  [inspect.custom](): string {
    const rows = this.rows.map((r) => `${r.family} ${r.bestValLoss === undefined ? '—' : r.bestValLoss.toPrecision(4)}`).join(', ');
    return `TuneResult(${this.rows.length} families on ${this.backend}; val loss: ${rows}; zero-return baseline ${this.rows[0]?.zeroReturnValLoss.toPrecision(4) ?? '—'})`;
  }
}

/** `Sequential, 3 layers (gru → dropout → dense), 12,345 weights` (layer class names, lower case). */
export function modelText(model: Tf.LayersModel): string {
  const layers = model.layers.map((l) => l.getClassName().toLowerCase());
  let weights: number | undefined;
  try {
    weights = model.countParams();
  } catch {
    weights = undefined; // a model not yet built has no weights to count
  }
  return `${model.getClassName()}, ${layers.length} layers (${layers.join(' → ')})${weights === undefined ? '' : `, ${weights.toLocaleString('en-US')} weights`}`;
}

function tagOf(family: string, best: FrozenTrial, ds: WindowDataset): SavedModelTag {
  return { family, trialNumber: best.number, params: best.params as Record<string, JsonValue>, fingerprint: ds.fingerprint };
}

function joinParts(a: ModelPart, b: ModelPart, inputStride: number, horizon: number): ModelPart {
  const inputs = new Float32Array((a.count + b.count) * inputStride);
  inputs.set(a.inputs.subarray(0, a.count * inputStride));
  inputs.set(b.inputs.subarray(0, b.count * inputStride), a.count * inputStride);
  const targets = new Float32Array((a.count + b.count) * horizon);
  targets.set(a.targets.subarray(0, a.count * horizon));
  targets.set(b.targets.subarray(0, b.count * horizon), a.count * horizon);
  return { count: a.count + b.count, inputs, targets };
}
