import { InvalidOptionError, TrialFinishedError, TrialNotFoundError } from '../errors.js';
import type { Distribution, ParamValue } from '../trial/distributions.js';
import type { Pruner } from '../search/pruner.js';
import type { Sampler } from '../search/sampler.js';
import type { DraftPatch, Storage, TrialLimit, TrialPatch, TrialTemplate } from '../storage/storage.js';
import { releaseStorage } from '../storage/resolve.js';
import { isJsonValue, type JsonValue } from '../util/json.js';
import type { FrozenTrial, StudyId } from '../trial/frozen-trial.js';
import { LiveTrials } from './live-trials.js';
import { LocalTrial, type TrialHost } from './local-trial.js';
import { checkAddTrialSpec, checkAddTrialSpecs, storeAddedTrial, type AddTrialHost, type AddTrialSpec } from './add-trial.js';
import { hasTrialWithParams, isParamRecord, type EnqueueTrialOptions } from './enqueue.js';
import { fillFinishPatch, finishedTrial, samplerFinishing, type Finishing } from './finish.js';
import { interpretResult, type Outcome, type TellResult } from './outcome.js';
import { isFinished, type Direction } from '../trial/state.js';
import { TrialTable } from './trial-table.js';
import { studyTrialHost } from './trial-host.js';
import { TrialWrites } from './trial-writes.js';

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
 * The machinery behind a Study: its trial table, the trials running in this thread, their
 * background writes, and the ask → sample → tell lifecycle against the storage. `Study` is the
 * public face over it; the optimize loops (in-thread and workers) drive the engine directly,
 * through calls that skip a promise when the storage answers synchronously.
 */
export class StudyEngine {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: Storage;
  readonly studyId: StudyId;
  readonly table: TrialTable;
  readonly #live = new LiveTrials<LocalTrial>();
  readonly #writes: TrialWrites;
  readonly #host: TrialHost;
  readonly #ownsStorage: boolean;
  #userAttrs: Record<string, JsonValue>;
  #stopRequested = false;
  #closed = false;

  constructor(parts: StudyParts) {
    this.name = parts.name;
    this.directions = parts.directions;
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
    this.storage = parts.storage;
    this.studyId = parts.studyId;
    this.#writes = new TrialWrites(parts.storage);
    this.#userAttrs = { ...parts.userAttrs };
    this.#ownsStorage = parts.ownsStorage ?? false;
    this.table = new TrialTable(parts.name, parts.directions, () => this.stop());
    for (const t of parts.trials) this.table.upsert(t);
    this.#host = studyTrialHost(this.table, this.sampler, this.pruner, this.directions, this.#writes);
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.#userAttrs;
  }

  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  stop(): void {
    this.#stopRequested = true;
  }

  resetStop(): void {
    this.#stopRequested = false;
  }

  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    if (!isJsonValue(value)) throw new InvalidOptionError(`study.setUserAttr('${key}', ...): the value must be JSON-safe`);
    await this.storage.setStudyUserAttr(this.studyId, key, value);
    this.#userAttrs[key] = value;
  }

  async refresh(): Promise<void> {
    for (const t of await this.storage.getAllTrials(this.studyId)) this.table.upsert(t);
  }

  /** A new trial (or the oldest enqueued one), its relative sample drawn and `fixedDistributions` suggested. */
  async ask(fixedDistributions: Readonly<Record<string, Distribution>> = NO_DISTRIBUTIONS): Promise<LocalTrial> {
    if (this.storage.shared) await this.refresh();
    const sync = this.storage.sync;
    const stored = sync
      ? (sync.claimWaitingTrial(this.studyId) ?? sync.createTrial(this.studyId, RUNNING))
      : ((await this.storage.claimWaitingTrial(this.studyId)) ?? (await this.storage.createTrial(this.studyId, RUNNING)));
    return this.#start(stored, fixedDistributions);
  }

  /**
   * ask() for a run with a trial budget: starts a trial only while the study holds fewer than
   * `limit.total` trials in `limit.states`, counted by the storage in the same atomic step as the
   * start (see Storage.startTrialWithin); undefined once the budget is spent.
   */
  async askWithin(limit: TrialLimit): Promise<LocalTrial | undefined> {
    if (this.storage.shared) await this.refresh();
    if (this.storage.startTrialWithin === undefined) return this.ask();
    const stored = await this.storage.startTrialWithin(this.studyId, limit);
    if (stored === undefined) {
      // Others took the last trials: read them, so the caller's own count agrees from now on.
      if (this.storage.shared) await this.refresh();
      return undefined;
    }
    return this.#start(stored, NO_DISTRIBUTIONS);
  }

  /** ask() for the in-thread loop: without a promise when the storage answers synchronously (memory), so a trivial trial is not dominated by awaits. */
  askNow(): LocalTrial | Promise<LocalTrial> {
    const sync = this.storage.sync;
    if (sync === undefined || this.storage.shared) return this.ask();
    return this.#start(sync.claimWaitingTrial(this.studyId) ?? sync.createTrial(this.studyId, RUNNING), NO_DISTRIBUTIONS);
  }

  #start(stored: FrozenTrial, fixedDistributions: Readonly<Record<string, Distribution>>): LocalTrial {
    const fixed = stored.systemAttrs['fixedParams'];
    const trial = new LocalTrial(this.#host, stored, isParamRecord(fixed) ? fixed : NO_PARAMS);
    this.#live.set(trial);
    this.table.addLive(trial);

    const attrs = this.sampler.beforeTrial?.(this.table, trial.snapshot());
    if (attrs) for (const key in attrs) trial.setSystemAttr(key, attrs[key] as JsonValue);
    const space = this.sampler.inferRelativeSearchSpace(this.table, trial.snapshot());
    if (hasKeys(space)) trial.setRelative(space, this.sampler.sampleRelative(this.table, trial.snapshot(), space));
    for (const name in fixedDistributions) trial.suggest(name, fixedDistributions[name] as Distribution);
    return trial;
  }

  /** Finishes trial `number` (running here, or stored) with its result. */
  async tell(number: number, result: TellResult, failReason: string | undefined): Promise<FrozenTrial> {
    const live = this.#live.get(number);
    return this.#finish(number, live, live ? live.snapshot() : await this.#storedTrial(number), result, failReason);
  }

  /**
   * tell() for the in-thread loop: without a promise when the storage answers synchronously and
   * none of the trial's writes is still under way. Throws what tell() rejects with.
   */
  tellNow(trial: LocalTrial, result: TellResult, failReason: string | undefined): FrozenTrial | Promise<FrozenTrial> {
    const live = this.#live.get(trial.number);
    if (live === undefined) return this.tell(trial.number, result, failReason);
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
    const finishing = samplerFinishing(this.sampler, this.table, before, outcome);
    fillFinishPatch(patch, outcome, finishing, completedAt);
    const sync = this.storage.sync;
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
      await this.storage.updateTrial(before.trialId, patch);
    } finally {
      this.#live.delete(number);
    }
    return this.#record(before, outcome, completedAt, finishing);
  }

  /** The finished trial as the study keeps it, once storage has it. */
  #record(before: FrozenTrial, outcome: Outcome, completedAt: Date, finishing: Finishing): FrozenTrial {
    const frozen = finishedTrial(before, outcome, finishing, completedAt);
    this.table.upsert(frozen);
    this.sampler.afterTrial?.(this.table, frozen);
    if (finishing.failed) throw finishing.error;
    return frozen;
  }

  /** Every spec is checked before any is stored. */
  async addTrials(specs: readonly AddTrialSpec[]): Promise<FrozenTrial[]> {
    const checked = checkAddTrialSpecs(specs, this.table.paramDistributions, this.directions.length);
    const added: FrozenTrial[] = [];
    for (const c of checked) added.push(await storeAddedTrial(this.#addHost, c));
    return added;
  }

  async addTrial(spec: AddTrialSpec): Promise<FrozenTrial> {
    return storeAddedTrial(this.#addHost, checkAddTrialSpec(spec, this.table.paramDistributions, this.directions.length));
  }

  get #addHost(): AddTrialHost {
    return { storage: this.storage, studyId: this.studyId, sampler: this.sampler, view: this.table, record: (...args) => this.#record(...args) };
  }

  async enqueueTrial(params: Readonly<Record<string, ParamValue>>, options: EnqueueTrialOptions): Promise<boolean> {
    if (!isParamRecord(params)) {
      throw new InvalidOptionError('enqueueTrial(params): params must be a plain object of JSON-safe values, e.g. { lr: 0.01, layers: 2 }');
    }
    if (options.skipIfExists === true) {
      if (this.storage.shared) await this.refresh();
      if (hasTrialWithParams(this.table.trials, params)) return false;
    }
    const queued = await this.storage.createTrial(this.studyId, {
      state: 'WAITING',
      systemAttrs: { ...options.systemAttrs, fixedParams: params },
      ...(options.userAttrs && { userAttrs: options.userAttrs }),
    });
    this.table.upsert(queued);
    return true;
  }

  /** Waits for background writes. */
  async flush(): Promise<void> {
    await this.#writes.flush();
  }

  /** Stops, flushes and releases a storage opened from a URL; a second call does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.stop();
    await this.flush();
    if (this.#ownsStorage) await releaseStorage(this.storage);
  }

  async #storedTrial(number: number): Promise<FrozenTrial> {
    let t = this.table.get(number);
    if (t === undefined || this.storage.shared) {
      await this.refresh();
      t = this.table.get(number);
    }
    if (t === undefined) throw new TrialNotFoundError(`number ${number} in study '${this.name}'`);
    return t;
  }
}

const RUNNING: TrialTemplate = { state: 'RUNNING' };
const NO_DISTRIBUTIONS: Readonly<Record<string, Distribution>> = {};
const NO_PARAMS: Readonly<Record<string, ParamValue>> = {};

function hasKeys(record: object): boolean {
  for (const _ in record) return true;
  return false;
}
