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
    return this.#set({ pruner });
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

  /** Watch memory during the run: a MemoryMonitor, or options for one (alertAtPercent, maxWorkerHeapMB, ...). */
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
    const pruner = o.pruner ?? new MedianPruner({ nStartupTrials: 5, nWarmupSteps: 3 });
    const data = modelTrialData(modelDataOf(ds));
    const studies: Study[] = [];
    for (const [index, family] of o.models.entries()) {
      studies.push(
        await createStudy({
          name: `${prefix}/${family}`,
          storage: o.storage,
          sampler: defaultSampler({ seed: o.seed * 1_000 + index }),
          pruner,
          loadIfExists: true,
        }),
      );
    }
    const context = (family: string): ModelTrialContext => ({ family, epochs: o.epochs, patience: o.patience, seed: o.seed, definition: familyDefinition(family) });
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
    return TuneResult.create(tf, backend, ds, runs, { epochs: o.epochs, patience: o.patience, seed: o.seed, tuningSeconds, workers }, evalCacheOf(o.cache));
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
