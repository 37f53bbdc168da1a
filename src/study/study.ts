import { inspect } from 'node:util';
import { DirectionsError, InvalidOptionError, NoCompletedTrialsError } from '../errors.js';
import type { Distribution, ParamValue } from '../trial/distributions.js';
import type { Pruner } from '../search/pruner.js';
import type { Sampler } from '../search/sampler.js';
import { exportJournal } from '../storage/journal/export.js';
import type { Storage } from '../storage/storage.js';
import type { JsonValue } from '../util/json.js';
import { findBestTrial, paretoFront } from '../trial/best.js';
import type { FrozenTrial, StudyId } from '../trial/frozen-trial.js';
import type { AddTrialSpec } from './add-trial.js';
import type { EnqueueTrialOptions } from './enqueue.js';
import type { TellResult } from './outcome.js';
import type { Objective } from './objective.js';
import { optimizeInThread, type OptimizeOptions } from './optimize.js';
import { installedParallelRunner } from './parallel-runner.js';
import type { Direction } from '../trial/state.js';
import { studySummaryText } from './summary-text.js';
import type { Trial } from '../trial/trial.js';
import { withTrialText } from '../trial/trial-text.js';
import type { TrialTable } from './trial-table.js';
import { StudyEngine, type StudyParts } from './study-engine.js';
import { trialsDataFrame, type DataFrame } from '../data/trials-dataframe.js';

export type { TellResult } from './outcome.js';
export type { StudyParts } from './study-engine.js';

/**
 * A study: a named search over one objective, its trials, and where they are stored.
 * Create one with `createStudy`, resume one with `loadStudy`.
 *
 * The public face of a StudyEngine, which holds the trial table, the running trials and their
 * writes; the optimize loops drive the engine, users and callbacks see this.
 */
export class Study {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly #engine: StudyEngine;

  /** Not for direct use: createStudy or loadStudy make studies. */
  constructor(parts: StudyParts) {
    this.#engine = new StudyEngine(parts);
    this.name = parts.name;
    this.directions = parts.directions;
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
  }

  /** @internal The engine the optimize loops drive. */
  get engine(): StudyEngine {
    return this.#engine;
  }

  /** The storage this study lives in. */
  get storage(): Storage {
    return this.#engine.storage;
  }

  /** @internal The storage's id for this study. */
  get studyId(): StudyId {
    return this.#engine.studyId;
  }

  /** @internal The in-memory view samplers and pruners read. */
  get view(): TrialTable {
    return this.#engine.table;
  }

  get direction(): Direction {
    if (this.directions.length !== 1) throw new DirectionsError(`study '${this.name}' has ${this.directions.length} directions; use study.directions`);
    return this.directions[0] as Direction;
  }

  /** Every trial, by number. */
  get trials(): readonly FrozenTrial[] {
    // The print form is given where trials leave the engine, not on every upsert: an in-memory
    // study of trivial trials finishes tens of thousands a second.
    return this.#engine.table.trials.map(printable);
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...this.#engine.userAttrs };
  }

  get bestTrial(): FrozenTrial {
    const trials = this.#engine.table.trials;
    const best = findBestTrial(trials, this.direction);
    if (!best) throw new NoCompletedTrialsError(this.name, 'best trial', trials.some((t) => t !== undefined && t.state === 'COMPLETE'));
    return withTrialText(best);
  }

  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  get bestParams(): Readonly<Record<string, ParamValue>> {
    return this.bestTrial.params;
  }

  /** The Pareto front: COMPLETE trials that no other trial beats in every objective. */
  get bestTrials(): readonly FrozenTrial[] {
    return paretoFront(this.#engine.table.trials, this.directions).map(withTrialText);
  }

  /**
   * The trials as a danfojs DataFrame, with Optuna's column names (params_x, user_attrs_k, ...).
   * danfojs is loaded on first use.
   */
  trialsDataFrame(): DataFrame {
    return trialsDataFrame(this.#engine.table.trials, this.directions.length);
  }

  /** True once stop() was called; optimize clears it when it starts. */
  get stopRequested(): boolean {
    return this.#engine.stopRequested;
  }

  /** Ends the running optimize after its current trials, as Optuna's study.stop(). */
  stop(): void {
    this.#engine.stop();
  }

  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    await this.#engine.setUserAttr(key, value);
  }

  /** Re-reads the trials from storage (other processes may have added some). */
  async refresh(): Promise<void> {
    await this.#engine.refresh();
  }

  /**
   * Starts a trial for ask-and-tell use: `const trial = await study.ask(); ...; await study.tell(trial, value)`.
   * An enqueued trial is taken first. `fixedDistributions` are suggested right away.
   */
  ask(fixedDistributions: Readonly<Record<string, Distribution>> = {}): Promise<Trial> {
    return this.#engine.ask(fixedDistributions);
  }

  /**
   * Finishes a trial with its value(s), or as 'PRUNED' or 'FAIL'. A value that is NaN or
   * infinite, or the wrong number of values, makes the trial FAIL with that reason (no throw).
   */
  async tell(trial: Trial | number, result: TellResult, options: { readonly failReason?: string | undefined } = {}): Promise<FrozenTrial> {
    return withTrialText(await this.#engine.tell(typeof trial === 'number' ? trial : trial.number, result, options.failReason));
  }

  /**
   * Adds trials evaluated elsewhere, as Optuna's `study.add_trial(create_trial(...))`: the
   * sampler learns from them as from its own (warm start from an earlier run or known results).
   * Every spec is checked before any is stored.
   */
  async addTrials(specs: readonly AddTrialSpec[]): Promise<FrozenTrial[]> {
    return (await this.#engine.addTrials(specs)).map(withTrialText);
  }

  /** One trial evaluated elsewhere; see addTrials. */
  async addTrial(spec: AddTrialSpec): Promise<FrozenTrial> {
    return withTrialText(await this.#engine.addTrial(spec));
  }

  /**
   * Queues a trial whose parameters are fixed (others are sampled as usual); the next ask takes it.
   * Used to try known-good settings first. With `skipIfExists`, params some trial already has
   * (queued or run) are not queued again, so a re-run cell does not repeat them. Returns whether it queued.
   */
  async enqueueTrial(params: Readonly<Record<string, ParamValue>>, options: EnqueueTrialOptions = {}): Promise<boolean> {
    return this.#engine.enqueueTrial(params, options);
  }

  /**
   * Runs trials: ask → objective → tell, until `nTrials`, `totalTrials`, `timeout`, a stop() or the
   * signal. With `workers`, trials run in worker threads (the objective may then be a module path).
   */
  async optimize<C = undefined>(objective: Objective<C> | string | URL, options: OptimizeOptions<C> = {}): Promise<void> {
    const workers = options.workers;
    if (workers !== undefined && workers !== 0) {
      const runner = installedParallelRunner();
      if (!runner) throw new InvalidOptionError("optimize({ workers }) needs tunelab's parallel module, which is not loaded");
      return runner(this, objective, options);
    }
    if (typeof objective !== 'function') {
      throw new InvalidOptionError('optimize(objective): in the calling thread the objective must be a function; a module path needs workers: 1 or more');
    }
    return optimizeInThread(this, objective, options);
  }

  /**
   * Writes the study as an Optuna JournalStorage file (one JSON operation per line), which Python
   * Optuna opens with `optuna.load_study(study_name=..., storage=JournalStorage(JournalFileStorage(path)))`.
   * Returns the absolute path written.
   */
  async exportJournal(path: string): Promise<string> {
    await this.flush();
    return exportJournal(this.storage, this.studyId, path);
  }

  /** Waits for background writes and releases nothing else: the storage may be shared with other studies. */
  async flush(): Promise<void> {
    await this.#engine.flush();
  }

  /**
   * Finishes background writes and releases the storage (a LevelDB directory opened from a URL
   * is closed when its last study closes). Trials still RUNNING stay so; a study is not usable after.
   */
  async close(): Promise<void> {
    await this.#engine.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  [inspect.custom](): string {
    return studySummaryText(this.name, this.directions, this.storage.url, this.#engine.table.trials);
  }
}

/** A table slot (undefined while another process creates that trial) with its print form. */
function printable(t: FrozenTrial | undefined): FrozenTrial {
  return (t === undefined ? t : withTrialText(t)) as FrozenTrial;
}
