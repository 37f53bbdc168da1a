import { cpus } from 'node:os';
import { InvalidOptionError } from '../errors.js';
import type { WindowDataset } from '../data/windows/window-dataset.js';
import type { Pruner } from '../search/pruner.js';
import { MemoryMonitor, type MemoryMonitorOptions } from '../monitor/memory-monitor.js';
import { MedianPruner } from '../search/pruners/median.js';
import type { Storage } from '../storage/storage.js';
import { evalCacheOf, type CacheOption } from '../study/study-cache.js';
import { createStudy } from '../study/create.js';
import { defaultSampler } from '../search/samplers/default.js';
import type { Study } from '../study/study.js';
import { loadTf, type BackendChoice } from '../tf/backend.js';
import { builtFile } from '../parallel/locate.js';
import { WorkerPool } from '../parallel/pool.js';
import { optimizeInWorkers } from '../parallel/run.js';
import type { OptimizeOptions } from '../study/optimize-options.js';
import { BUILT_IN_FAMILIES, familyDefinition, getModelFamily } from './families/registry.js';
import { modelDataOf } from './model-data.js';
import modelObjective, { modelTrialData, type ModelTrialContext } from './model-objective.js';
import { TuneResult, type FamilyRun } from './tune-result.js';
import type { Sampler } from '../search/sampler.js';
import { TRAINING_LOSSES, type TrainingLoss } from './train.js';
import { checkOverrides, type SpaceOverrides } from './space-overrides.js';
import { checkBacktestOptions, tradingDataOf, type PositionRule } from './backtest.js';
import { positiveInt, TUNE_DEFAULTS, type TuneOptions } from './tune-options.js';

/**
 * Tunes several model families on one dataset, one study per family, and compares them with the
 * naive baselines. `tune(ds).models([...]).trials(30).workers(2).epochs(40).seed(7).run()`.
 */
export class TuneBuilder {
  readonly #dataset: WindowDataset;
  #options: TuneOptions = TUNE_DEFAULTS;

  constructor(dataset: WindowDataset) {
    if (!dataset || typeof dataset.inverseTarget !== 'function' || !dataset.train) {
      throw new InvalidOptionError('tune(dataset): expected a WindowDataset from data.windows(...)');
    }
    if (dataset.train.count === 0 || dataset.val.count === 0) {
      throw new InvalidOptionError(`tune(dataset): the dataset needs training and validation windows (it has ${dataset.train.count} and ${dataset.val.count}); use a longer source or a shorter lookback`);
    }
    this.#dataset = dataset;
  }

  #set(patch: Partial<TuneOptions>): this {
    this.#options = { ...this.#options, ...patch };
    return this;
  }

  models(names: readonly string[]): this {
    if (!Array.isArray(names) || names.length === 0) throw new InvalidOptionError("tune().models([...]): expected a non-empty list such as ['linear', 'lstm']");
    for (const n of names) getModelFamily(n);
    return this.#set({ models: [...new Set(names)] });
  }

  trials(n: number): this {
    return this.#set({ trials: positiveInt('trials', n) });
  }

  workers(n: number | 'auto'): this {
    return this.#set({ workers: n === 'auto' ? 'auto' : positiveInt('workers', n, 0) });
  }

  epochs(n: number): this {
    return this.#set({ epochs: positiveInt('epochs', n) });
  }

  patience(n: number): this {
    return this.#set({ patience: positiveInt('patience', n) });
  }

  seed(n: number): this {
    return this.#set({ seed: positiveInt('seed', n, 0) });
  }

  storage(storage: Storage | string): this {
    return this.#set({ storage });
  }

  cache(cache: CacheOption): this {
    return this.#set({ cache });
  }

  pruner(pruner: Pruner): this {
    if (!pruner || typeof (pruner as { prune?: unknown }).prune !== 'function') throw new InvalidOptionError('tune().pruner(p): expected a pruner such as new MedianPruner() or new NopPruner()');
    return this.#set({ pruner });
  }

  /** The loss models train on and are validated with: 'mse' (default), 'mae' or 'huber'. */
  loss(loss: TrainingLoss): this {
    if (!TRAINING_LOSSES.includes(loss)) throw new InvalidOptionError(`tune().loss(${JSON.stringify(loss)}): expected one of ${TRAINING_LOSSES.map((l) => `'${l}'`).join(', ')}`);
    return this.#set({ loss });
  }

  /** The sampler of every family's study (or `(family) => sampler` for one each). Default: AutoSampler, seeded per family. */
  sampler(sampler: Sampler | ((family: string) => Sampler)): this {
    const ok = typeof sampler === 'function' || (typeof sampler === 'object' && sampler !== null && typeof (sampler as Sampler).sampleIndependent === 'function');
    if (!ok) throw new InvalidOptionError('tune().sampler(s): expected a sampler such as new TPESampler({ seed: 1 }), or (family) => sampler');
    return this.#set({ sampler });
  }

  /**
   * Changes a family's default search space without writing a family: a range `{ low, high }`, a
   * fixed value, or a list of choices per parameter. `.space('mlp', { units: { low: 16, high: 64 }, dropout: 0, optimizer: ['adam', 'sgd'] })`.
   */
  space(family: string, overrides: SpaceOverrides): this {
    getModelFamily(family);
    checkOverrides(family, overrides, { lookback: this.#dataset.lookback, features: this.#dataset.featureNames.length, horizon: this.#dataset.horizon });
    return this.#set({ space: { ...this.#options.space, [family]: overrides } });
  }

  /**
   * What selects configurations: 'loss' (default; the validation loss, minimized) or 'sharpe'
   * (the annualized Sharpe ratio of the validation forecasts traded net of `fee` + `slippage`, maximized).
   */
  objective(objective: 'loss' | 'sharpe', options: { readonly fee?: number; readonly slippage?: number; readonly position?: PositionRule } = {}): this {
    if (objective !== 'loss' && objective !== 'sharpe') throw new InvalidOptionError(`tune().objective(${JSON.stringify(objective)}): expected 'loss' or 'sharpe'`);
    if (objective === 'sharpe') {
      // Up front: the same checks a backtest makes (a price target, timestamps, sensible costs).
      checkBacktestOptions(options);
      for (const part of this.#dataset.folds.length > 0 ? this.#dataset.folds : [this.#dataset]) tradingDataOf(part);
    }
    return this.#set({ objective, trading: options });
  }

  backend(backend: BackendChoice): this {
    return this.#set({ backend });
  }

  name(name: string): this {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidOptionError('tune().name(name): expected a non-empty string');
    return this.#set({ name });
  }

  progress(on: boolean): this {
    return this.#set({ progress: on });
  }

  timeout(seconds: number): this {
    if (!(seconds > 0)) throw new InvalidOptionError(`tune().timeout(${seconds}): expected seconds > 0`);
    return this.#set({ timeout: seconds });
  }

  /** Watch memory during the run: a MemoryMonitor, or options for one (alertAtPercent, maxWorkerHeapMiB, ...). */
  memory(monitor: MemoryMonitor | MemoryMonitorOptions): this {
    return this.#set({ memory: monitor });
  }

  /** Stop a family's run after this many trials failed in a row (default 10; Infinity: never). */
  maxConsecutiveFailures(n: number): this {
    return this.#set({ maxConsecutiveFailures: n === Infinity ? n : positiveInt('maxConsecutiveFailures', n) });
  }

  /** The options as they stand (for inspection). */
  get options(): TuneOptions {
    return this.#options;
  }

  async run(): Promise<TuneResult> {
    const o = this.#options;
    const ds = this.#dataset;
    const workers = o.workers === 'auto' ? cpus().length : o.workers;
    if (workers > 0) checkFamiliesLoadInWorkers(o.models);
    const { tf, backend } = await loadTf(o.backend);
    const prefix = o.name ?? `tune-${ds.fingerprint.slice(0, 10)}`;
    const walkForward = ds.folds.length > 0;
    // With folds a trial reports one value per fold: a pruner may stop it after the first.
    const pruner = o.pruner ?? new MedianPruner({ nStartupTrials: 5, nWarmupSteps: walkForward ? 0 : 3 });
    const data = modelTrialData(modelDataOf(ds, o.objective === 'sharpe' ? tradingDataOf : undefined));
    const studies: Study[] = [];
    for (const [index, family] of o.models.entries()) {
      studies.push(
        await createStudy({
          name: `${prefix}/${family}`,
          storage: o.storage,
          sampler: typeof o.sampler === 'function' ? o.sampler(family) : (o.sampler ?? defaultSampler({ seed: o.seed * 1_000 + index })),
          pruner,
          direction: o.objective === 'sharpe' ? 'maximize' : 'minimize',
          loadIfExists: true,
        }),
      );
    }
    const context = (family: string): ModelTrialContext => ({
      family,
      epochs: o.epochs,
      patience: o.patience,
      seed: o.seed,
      definition: familyDefinition(family),
      ...(o.loss !== 'mse' && { loss: o.loss }),
      ...(o.space[family] !== undefined && { space: o.space[family] }),
      ...(o.objective !== 'loss' && { objective: o.objective, ...o.trading }),
    });
    // One monitor for the whole run (a family's optimize would start and stop its own).
    const monitor = o.memory === undefined || o.memory instanceof MemoryMonitor ? o.memory : new MemoryMonitor(o.memory).start();
    const common = {
      totalTrials: o.trials,
      data,
      cache: o.cache,
      catch: true as const,
      maxConsecutiveFailures: o.maxConsecutiveFailures,
      ...(o.progress !== undefined && { progress: o.progress }),
      ...(monitor !== undefined && { memory: monitor }),
    };
    let runs: FamilyRun[];
    const tuningStarted = performance.now();
    try {
      runs =
        workers > 0
          ? await this.#runSideBySide(studies, workers, { ...common, ...(o.timeout !== undefined && { timeout: o.timeout }) }, context)
          : await this.#runInTurn(studies, { ...common, ...(o.timeout !== undefined && { timeout: o.timeout / o.models.length }) }, context);
    } finally {
      if (monitor !== o.memory) monitor?.stop();
    }
    const tuningSeconds = (performance.now() - tuningStarted) / 1000;
    return TuneResult.create(tf, backend, ds, runs, { epochs: o.epochs, patience: o.patience, seed: o.seed, tuningSeconds, workers, loss: o.loss, space: o.space, objective: o.objective }, evalCacheOf(o.cache));
  }

  /** In the calling thread: one family after another, each with its share of the timeout. */
  async #runInTurn(studies: readonly Study[], common: FamilyOptions, context: (family: string) => ModelTrialContext): Promise<FamilyRun[]> {
    const runs: FamilyRun[] = [];
    for (const [index, study] of studies.entries()) {
      const family = this.#options.models[index] as string;
      const startedAt = Date.now();
      await study.optimize(modelObjective, { ...common, context: context(family) });
      runs.push({ family, study, startedAt });
    }
    return runs;
  }

  /**
   * With workers: every family's study runs at once over one pool, so the workers load TF.js once
   * and a worker freed by one family's last trial takes another family's next one. Each family
   * still gets its own sampler, pruner decisions and context; a free worker goes to the family
   * that has waited longest. With one worker the trials of each family are the same as in turn.
   */
  async #runSideBySide(studies: readonly Study[], workers: number, common: FamilyOptions, context: (family: string) => ModelTrialContext): Promise<FamilyRun[]> {
    const o = this.#options;
    // Workers load the objective by path: the built module whose default export it is.
    const objective = builtFile('models/model-objective.js');
    const pool = WorkerPool.open(objective, { ...common, workers, backend: o.backend });
    // One family's error ends the others' trials too (they would report on a run that has failed).
    const failed = new AbortController();
    try {
      const settled = await Promise.allSettled(
        studies.map(async (study, index): Promise<FamilyRun> => {
          const family = o.models[index] as string;
          const startedAt = Date.now();
          try {
            await optimizeInWorkers(study, objective, { ...common, workers, backend: o.backend, context: context(family), signal: failed.signal }, pool);
          } catch (error) {
            failed.abort();
            throw error;
          }
          return { family, study, startedAt };
        }),
      );
      const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected) throw rejected.reason;
      return settled.map((s) => (s as PromiseFulfilledResult<FamilyRun>).value);
    } finally {
      await pool.close();
    }
  }
}

/**
 * Workers load the built model-objective module, which knows the built-in families only: a family
 * registered with registerModelFamily in this thread does not exist there, and every one of its
 * trials would fail. Refused before anything starts.
 */
function checkFamiliesLoadInWorkers(models: readonly string[]): void {
  const builtIn: readonly string[] = BUILT_IN_FAMILIES;
  const local = models.filter((m) => !builtIn.includes(m));
  if (local.length > 0) {
    throw new InvalidOptionError(
      `tune().models([...]): ${local.map((m) => `'${m}'`).join(', ')} ${local.length === 1 ? 'is' : 'are'} registered in this thread only; ` +
        `worker threads load the built-in families (${builtIn.join(', ')}). Tune ${local.length === 1 ? 'it' : 'them'} with .workers(0), or tune the built-in families with workers`,
    );
  }
}

type FamilyOptions = Omit<OptimizeOptions<ModelTrialContext>, 'context'>;

export function tune(dataset: WindowDataset): TuneBuilder {
  return new TuneBuilder(dataset);
}
