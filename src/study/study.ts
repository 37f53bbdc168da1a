import { inspect } from 'node:util';
import { DirectionsError, InvalidOptionError, NoCompletedTrialsError, TrialFinishedError, TrialNotFoundError } from '../errors.js';
import type { Distribution, ParamValue } from '../trial/distributions.js';
import type { Pruner } from '../search/pruner.js';
import type { Sampler } from '../search/sampler.js';
import { exportJournal } from '../storage/journal/export.js';
import type { DraftPatch, Storage, TrialLimit, TrialPatch, TrialTemplate } from '../storage/storage.js';
import { releaseStorage } from '../storage/resolve.js';
import { isJsonValue, type JsonValue } from '../util/json.js';
import { findBestTrial, paretoFront } from '../trial/best.js';
import type { FrozenTrial, StudyId } from '../trial/frozen-trial.js';
import { LiveTrials } from './live-trials.js';
import { LocalTrial, type TrialHost } from './local-trial.js';
import { checkAddTrialSpec, checkAddTrialSpecs, storeAddedTrial, type AddTrialHost, type AddTrialSpec } from './add-trial.js';
import { hasTrialWithParams, isParamRecord, type EnqueueTrialOptions } from './enqueue.js';
import { fillFinishPatch, finishedTrial, samplerFinishing, type Finishing } from './finish.js';
import { interpretResult, type Outcome, type TellResult } from './outcome.js';
import type { Objective } from './objective.js';
import { optimizeInThread, type OptimizeOptions } from './optimize.js';
import { installedParallelRunner } from './parallel-runner.js';
import { isFinished, type Direction } from '../trial/state.js';
import { studySummaryText } from './summary-text.js';
import type { Trial } from '../trial/trial.js';
import { withTrialText } from '../trial/trial-text.js';
import { TrialTable } from './trial-table.js';
import { studyTrialHost } from './trial-host.js';
import { TrialWrites } from './trial-writes.js';
import { trialsDataFrame, type DataFrame } from '../data/trials-dataframe.js';

export type { TellResult } from './outcome.js';

export interface StudyParts {
  readonly name: string;
  readonly studyId: StudyId;
  readonly directions: readonly Direction[];
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly trials: readonly FrozenTrial[];
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  /** Whether the study opened its storage from a URL (and so releases it on close). */
  readonly ownsStorage?: boolean;
}

/**
 * A study: a named search over one objective, its trials, and where they are stored.
 * Create one with `createStudy`, resume one with `loadStudy`.
 */
export class Study {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly #storage: Storage;
  readonly #studyId: StudyId;
  readonly #table: TrialTable;
  readonly #live = new LiveTrials<LocalTrial>();
  readonly #writes: TrialWrites;
  #userAttrs: Record<string, JsonValue>;
  #stopRequested = false;
  #closed = false;
  readonly #ownsStorage: boolean;
  readonly #host: TrialHost;

  /** Not for direct use: createStudy or loadStudy make studies. */
  constructor(parts: StudyParts) {
    this.name = parts.name;
    this.directions = parts.directions;
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
    this.#storage = parts.storage;
    this.#writes = new TrialWrites(parts.storage);
    this.#studyId = parts.studyId;
    this.#userAttrs = { ...parts.userAttrs };
    this.#ownsStorage = parts.ownsStorage ?? false;
    this.#table = new TrialTable(parts.name, parts.directions, () => this.stop());
    for (const t of parts.trials) this.#table.upsert(t);
    this.#host = studyTrialHost(this.#table, this.sampler, this.pruner, this.directions, this.#writes);
  }

  /** The storage this study lives in. */
  get storage(): Storage {
    return this.#storage;
  }

  /** @internal The storage's id for this study. */
  get studyId(): StudyId {
    return this.#studyId;
  }

  /** @internal The in-memory view samplers and pruners read. */
  get view(): TrialTable {
    return this.#table;
  }

  get direction(): Direction {
    if (this.directions.length !== 1) throw new DirectionsError(`study '${this.name}' has ${this.directions.length} directions; use study.directions`);
    return this.directions[0] as Direction;
  }

  /** Every trial, by number. */
  get trials(): readonly FrozenTrial[] {
    // The print form is given where trials leave the engine, not on every upsert: an in-memory
    // study of trivial trials finishes tens of thousands a second, and the property costs each one.
    return this.#table.trials.map(printable);
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...this.#userAttrs };
  }

  get bestTrial(): FrozenTrial {
    const trials = this.#table.trials;
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
    return paretoFront(this.#table.trials, this.directions).map(withTrialText);
  }

  /**
   * The trials as a danfojs DataFrame, with Optuna's column names (params_x, user_attrs_k, ...).
   * danfojs is loaded on first use.
   */
  trialsDataFrame(): DataFrame {
    return trialsDataFrame(this.#table.trials, this.directions.length);
  }

  /** True once stop() was called; optimize clears it when it starts. */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /** Ends the running optimize after its current trials, as Optuna's study.stop(). */
  stop(): void {
    this.#stopRequested = true;
  }

  /** @internal */
  resetStop(): void {
    this.#stopRequested = false;
  }

  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    if (!isJsonValue(value)) throw new InvalidOptionError(`study.setUserAttr('${key}', ...): the value must be JSON-safe`);
    await this.#storage.setStudyUserAttr(this.#studyId, key, value);
    this.#userAttrs[key] = value;
  }

  /** Re-reads the trials from storage (other processes may have added some). */
  async refresh(): Promise<void> {
    for (const t of await this.#storage.getAllTrials(this.#studyId)) this.#table.upsert(t);
  }

  /**
   * Starts a trial for ask-and-tell use: `const trial = await study.ask(); ...; await study.tell(trial, value)`.
   * An enqueued trial is taken first. `fixedDistributions` are suggested right away.
   */
  ask(fixedDistributions: Readonly<Record<string, Distribution>> = {}): Promise<Trial> {
    return this.#askAsync(fixedDistributions);
  }

  async #askAsync(fixedDistributions: Readonly<Record<string, Distribution>>): Promise<LocalTrial> {
    if (this.#storage.shared) await this.refresh();
    const sync = this.#storage.sync;
    const stored = sync
      ? (sync.claimWaitingTrial(this.#studyId) ?? sync.createTrial(this.#studyId, RUNNING))
      : ((await this.#storage.claimWaitingTrial(this.#studyId)) ?? (await this.#storage.createTrial(this.#studyId, RUNNING)));
    return this.#start(stored, fixedDistributions);
  }

  /**
   * @internal ask() for a run with a trial budget: starts a trial only while the study holds fewer
   * than `limit.total` trials in `limit.states`, counted by the storage in the same atomic step
   * as the start (see Storage.startTrialWithin); undefined once the budget is spent.
   */
  async askWithin(limit: TrialLimit): Promise<LocalTrial | undefined> {
    if (this.#storage.shared) await this.refresh();
    if (this.#storage.startTrialWithin === undefined) return this.#askAsync(NO_DISTRIBUTIONS);
    const stored = await this.#storage.startTrialWithin(this.#studyId, limit);
    if (stored === undefined) {
      // Others took the last trials: read them, so the caller's own count agrees from now on.
      if (this.#storage.shared) await this.refresh();
      return undefined;
    }
    return this.#start(stored, NO_DISTRIBUTIONS);
  }

  /**
   * @internal ask() for the in-thread optimize loop: without a promise when the storage answers
   * synchronously (memory), so a trivial trial is not dominated by awaits.
   */
  askNow(): LocalTrial | Promise<LocalTrial> {
    const sync = this.#storage.sync;
    if (sync === undefined || this.#storage.shared) return this.#askAsync(NO_DISTRIBUTIONS);
    return this.#start(sync.claimWaitingTrial(this.#studyId) ?? sync.createTrial(this.#studyId, RUNNING), NO_DISTRIBUTIONS);
  }

  #start(stored: FrozenTrial, fixedDistributions: Readonly<Record<string, Distribution>>): LocalTrial {
    const fixed = stored.systemAttrs['fixedParams'];
    const trial = new LocalTrial(this.#host, stored, isParamRecord(fixed) ? fixed : NO_PARAMS);
    this.#live.set(trial);
    this.#table.addLive(trial);

    const attrs = this.sampler.beforeTrial?.(this.#table, trial.snapshot());
    if (attrs) for (const key in attrs) trial.setSystemAttr(key, attrs[key] as JsonValue);
    const space = this.sampler.inferRelativeSearchSpace(this.#table, trial.snapshot());
    if (hasKeys(space)) trial.setRelative(space, this.sampler.sampleRelative(this.#table, trial.snapshot(), space));
    for (const name in fixedDistributions) trial.suggest(name, fixedDistributions[name] as Distribution);
    return trial;
  }

  /**
   * Finishes a trial with its value(s), or as 'PRUNED' or 'FAIL'. A value that is NaN or
   * infinite, or the wrong number of values, makes the trial FAIL with that reason (no throw).
   */
  async tell(trial: Trial | number, result: TellResult, options: { readonly failReason?: string | undefined } = {}): Promise<FrozenTrial> {
    const number = typeof trial === 'number' ? trial : trial.number;
    const live = this.#live.get(number);
    return withTrialText(await this.#finish(number, live, live ? live.snapshot() : await this.#storedTrial(number), result, options.failReason));
  }

  /**
   * @internal tell() for the in-thread optimize loop: without a promise when the storage answers
   * synchronously and none of the trial's writes is still under way. Throws what tell() rejects with.
   */
  tellNow(trial: LocalTrial, result: TellResult, failReason: string | undefined): FrozenTrial | Promise<FrozenTrial> {
    const live = this.#live.get(trial.number);
    if (live === undefined) return this.tell(trial, result, { failReason });
    return this.#finish(trial.number, live, live.snapshot(), result, failReason);
  }

  #finish(number: number, live: LocalTrial | undefined, before: FrozenTrial, result: TellResult, failReason: string | undefined): FrozenTrial | Promise<FrozenTrial> {
    if (isFinished(before.state)) throw new TrialFinishedError(number, before.state, 'be told again');
    const outcome = interpretResult(result, before, this.directions.length, failReason);

    let patch: DraftPatch = {};
    if (live) {
      live.markFinished();
      patch = live.takePending();
    }
    const completedAt = new Date();
    const finishing = samplerFinishing(this.sampler, this.#table, before, outcome);
    fillFinishPatch(patch, outcome, finishing, completedAt);
    const sync = this.#storage.sync;
    if (sync === undefined || this.#writes.has(number)) return this.#finishAfterWrites(number, before, patch, outcome, completedAt, finishing);
    try {
      sync.updateTrial(before.trialId, patch);
    } finally {
      this.#live.delete(number);
    }
    return this.#record(before, outcome, completedAt, finishing);
  }

  async #finishAfterWrites(number: number, before: FrozenTrial, patch: TrialPatch, outcome: Outcome, completedAt: Date, finishing: Finishing): Promise<FrozenTrial> {
    try {
      await this.#writes.settle(number);
      await this.#storage.updateTrial(before.trialId, patch);
    } finally {
      this.#live.delete(number);
    }
    return this.#record(before, outcome, completedAt, finishing);
  }

  /** The finished trial as the study keeps it, once storage has it. */
  #record(before: FrozenTrial, outcome: Outcome, completedAt: Date, finishing: Finishing): FrozenTrial {
    const frozen = finishedTrial(before, outcome, finishing, completedAt);
    this.#table.upsert(frozen);
    this.sampler.afterTrial?.(this.#table, frozen);
    if (finishing.failed) throw finishing.error;
    return frozen;
  }

  /**
   * Adds trials evaluated elsewhere, as Optuna's `study.add_trial(create_trial(...))`: the
   * sampler learns from them as from its own (warm start from an earlier run or known results).
   * Every spec is checked before any is stored.
   */
  async addTrials(specs: readonly AddTrialSpec[]): Promise<FrozenTrial[]> {
    const checked = checkAddTrialSpecs(specs, this.#table.paramDistributions, this.directions.length);
    const added: FrozenTrial[] = [];
    for (const c of checked) added.push(await storeAddedTrial(this.#addHost, c));
    return added;
  }

  /** One trial evaluated elsewhere; see addTrials. */
  async addTrial(spec: AddTrialSpec): Promise<FrozenTrial> {
    return storeAddedTrial(this.#addHost, checkAddTrialSpec(spec, this.#table.paramDistributions, this.directions.length));
  }

  get #addHost(): AddTrialHost {
    return { storage: this.#storage, studyId: this.#studyId, sampler: this.sampler, view: this.#table, record: (...args) => this.#record(...args) };
  }

  /**
   * Queues a trial whose parameters are fixed (others are sampled as usual); the next ask takes it.
   * Used to try known-good settings first. With `skipIfExists`, params some trial already has
   * (queued or run) are not queued again, so a re-run cell does not repeat them. Returns whether it queued.
   */
  async enqueueTrial(params: Readonly<Record<string, ParamValue>>, options: EnqueueTrialOptions = {}): Promise<boolean> {
    if (!isParamRecord(params)) {
      throw new InvalidOptionError('enqueueTrial(params): params must be a plain object of JSON-safe values, e.g. { lr: 0.01, layers: 2 }');
    }
    if (options.skipIfExists === true) {
      if (this.#storage.shared) await this.refresh();
      if (hasTrialWithParams(this.#table.trials, params)) return false;
    }
    const queued = await this.#storage.createTrial(this.#studyId, {
      state: 'WAITING',
      systemAttrs: { ...options.systemAttrs, fixedParams: params },
      ...(options.userAttrs && { userAttrs: options.userAttrs }),
    });
    this.#table.upsert(queued);
    return true;
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
    await this.#writes.flush();
  }

  /**
   * Finishes background writes and releases the storage (a LevelDB directory opened from a URL
   * is closed when its last study closes). Trials still RUNNING stay so; a study is not usable after.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.stop();
    await this.flush();
    if (this.#ownsStorage) await releaseStorage(this.#storage);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  [inspect.custom](): string {
    return studySummaryText(this.name, this.directions, this.#storage.url, this.#table.trials);
  }

  async #storedTrial(number: number): Promise<FrozenTrial> {
    let t = this.#table.get(number);
    if (t === undefined || this.#storage.shared) {
      await this.refresh();
      t = this.#table.get(number);
    }
    if (t === undefined) throw new TrialNotFoundError(`number ${number} in study '${this.name}'`);
    return t;
  }
}

/** A table slot (undefined while another process creates that trial) with its print form. */
function printable(t: FrozenTrial | undefined): FrozenTrial {
  return (t === undefined ? t : withTrialText(t)) as FrozenTrial;
}

const RUNNING: TrialTemplate = { state: 'RUNNING' };
const NO_DISTRIBUTIONS: Readonly<Record<string, Distribution>> = {};
const NO_PARAMS: Readonly<Record<string, ParamValue>> = {};

function hasKeys(record: object): boolean {
  for (const _ in record) return true;
  return false;
}
