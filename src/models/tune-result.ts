import { inspect } from 'node:util';
import type * as Tf from '@tensorflow/tfjs';
import type { PartName, WindowDataset } from '../data/windows/window-dataset.js';
import { NoCompletedTrialsError, InvalidOptionError } from '../errors.js';
import type { ParamValue } from '../trial/distributions.js';
import { FixedTrial } from '../trial/fixed-trial.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { TfModule } from '../tf/module.js';
import type { Study } from '../study/study.js';
import type { BackendName } from '../tf/backend.js';
import { persistenceMetrics, zeroReturnLoss } from './evaluate.js';
import { fitFamily } from './fit.js';
import { bestTestMetrics } from './best-test-metrics.js';
import type { EvalCache } from '../cache/eval-cache.js';
import type { ForecastMetrics } from './metrics.js';
import { modelDataOf, type ModelData, type ModelPart } from './model-data.js';
import { predictPart } from './train.js';
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

  /** Wall seconds the tuning took, all families (with workers they run side by side), before the test scoring. */
  get tuningSeconds(): number {
    return this.#settings.tuningSeconds;
  }

  private constructor(tf: TfModule, backend: BackendName, dataset: WindowDataset, rows: FamilyRow[], studies: Map<string, Study>, settings: RunSettings) {
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
    for (const run of runs) {
      const trials = run.study.trials;
      const complete = trials.filter((t) => t.state === 'COMPLETE' && t.value !== undefined);
      const best = complete.length > 0 ? run.study.bestTrial : undefined;
      let test: ForecastMetrics | undefined;
      let familyBackend = String(best?.userAttrs['backend'] ?? backend);
      if (best) {
        const scored = await bestTestMetrics(tf, ds, data, run.family, best, settings, cache);
        test = scored.test;
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
      });
    }
    return new TuneResult(tf, backend, ds, rows, new Map(runs.map((r) => [r.family, r.study])), settings);
  }

  /** The family with the lowest validation loss. */
  get best(): FamilyRow {
    const ranked = this.rows.filter((r) => r.bestValLoss !== undefined).sort((a, b) => (a.bestValLoss as number) - (b.bestValLoss as number));
    const first = ranked[0];
    if (!first) throw new NoCompletedTrialsError(this.rows.map((r) => r.family).join(', '), 'best model family');
    return first;
  }

  study(family: string): Study {
    const s = this.#studies.get(family);
    if (!s) throw new InvalidOptionError(`no study for family '${family}' in this result; families: ${[...this.#studies.keys()].join(', ')}`);
    return s;
  }

  /**
   * The comparison as plain rows (what show() renders), best validation loss first, then each
   * naive baseline once as its own row; ✓/✗ says whether a family beat them (validation loss
   * against a zero return, test RMSE against persistence).
   */
  table(): Array<Record<string, string | number>> {
    const fmt = (v: number | undefined, digits = 4): number | string => (v === undefined || Number.isNaN(v) ? '—' : Number(v.toPrecision(digits)));
    const beats = (v: number | undefined, baseline: number): string => (v === undefined || Number.isNaN(v) || Number.isNaN(baseline) ? '—' : v < baseline ? '✓' : '✗');
    const anyBefore = this.rows.some((r) => r.storedSeconds > r.seconds + 1e-9);
    const families = [...this.rows]
      .sort((a, b) => (a.bestValLoss ?? Infinity) - (b.bestValLoss ?? Infinity))
      .map((r) => ({
        model: r.family,
        backend: r.backend,
        'val loss': fmt(r.bestValLoss),
        'test RMSE': fmt(r.test?.rmse),
        'test MAE': fmt(r.test?.mae),
        'test MAPE %': fmt(r.test?.mape, 3),
        'direction hit %': r.test === undefined || Number.isNaN(r.test.directionalAccuracy) ? '—' : Number((100 * r.test.directionalAccuracy).toFixed(1)),
        'beats zero return (val)': beats(r.bestValLoss, r.zeroReturnValLoss),
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
      { model: 'baseline: zero return', ...blank, 'val loss': fmt(first.zeroReturnValLoss) },
      {
        model: 'baseline: persistence',
        ...blank,
        'val loss': '—',
        'test RMSE': fmt(first.persistence.rmse),
        'test MAE': fmt(first.persistence.mae),
        'test MAPE %': fmt(first.persistence.mape, 3),
        'direction hit %': Number.isNaN(first.persistence.directionalAccuracy) ? '—' : Number((100 * first.persistence.directionalAccuracy).toFixed(1)),
      },
    ];
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
    const fitted = await fitFamily(this.#tf, new FixedTrial(best.params, best.number), trainAll, { family, epochs, patience: epochs, seed: this.#settings.seed });
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

function joinParts(a: ModelPart, b: ModelPart, inputStride: number, horizon: number): ModelPart {
  const inputs = new Float32Array((a.count + b.count) * inputStride);
  inputs.set(a.inputs.subarray(0, a.count * inputStride));
  inputs.set(b.inputs.subarray(0, b.count * inputStride), a.count * inputStride);
  const targets = new Float32Array((a.count + b.count) * horizon);
  targets.set(a.targets.subarray(0, a.count * horizon));
  targets.set(b.targets.subarray(0, b.count * horizon), a.count * horizon);
  return { count: a.count + b.count, inputs, targets };
}
