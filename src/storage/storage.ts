import type { Distribution } from '../trial/distributions.js';
import type { FrozenTrial, StudyId, TrialId } from '../trial/frozen-trial.js';
import type { Direction, TrialState } from '../trial/state.js';
import type { JsonValue } from '../util/json.js';

export interface StudySummary {
  readonly studyId: StudyId;
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly nTrials: number;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly datetimeStart: Date | undefined;
}

/** What a new trial starts with (enqueued trials start WAITING, ask() creates RUNNING ones). */
export interface TrialTemplate {
  readonly state: 'RUNNING' | 'WAITING';
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  /** When the trial started, if not now: restoring a backup or importing a journal keeps the original times. */
  readonly datetimeStart?: Date;
}

/**
 * A change to one trial, applied atomically. Params are internal values with their distributions.
 * Setting a finished state (COMPLETE, PRUNED, FAIL) on a trial that is already finished must throw
 * TrialFinishedError: that is how a late result from a worker whose trial was failed is refused.
 */
export interface TrialPatch {
  readonly state?: TrialState;
  readonly values?: readonly number[];
  readonly params?: Readonly<Record<string, { readonly value: number; readonly distribution: Distribution }>>;
  readonly intermediateValues?: Readonly<Record<number, number>>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  readonly datetimeComplete?: Date;
}

/** A cap on a study's trials: at most `total` of them in `states` (e.g. COMPLETE, PRUNED, RUNNING for optimize's totalTrials). */
export interface TrialLimit {
  readonly total: number;
  readonly states: readonly TrialState[];
}

/** A TrialPatch its owner is still filling in, before handing it to a storage. */
export type DraftPatch = { -readonly [K in keyof TrialPatch]: TrialPatch[K] };

/**
 * Where studies live. Implementations: memory, LevelDB, PostgreSQL. Every implementation runs
 * the conformance suite in src/testing. Queries such as "best trial" are written once, over
 * these primitives, in src/study — never per backend.
 */
export interface Storage {
  /** A printable location with any password removed, e.g. `level:.tunelab`. */
  readonly url: string;
  /** True when other processes may write the same studies (the study then re-reads trials). */
  readonly shared: boolean;

  createStudy(name: string, directions: readonly Direction[]): Promise<StudyId>;
  /** Throws StudyNotFoundError. */
  getStudyIdByName(name: string): Promise<StudyId>;
  getStudyName(studyId: StudyId): Promise<string>;
  getStudyDirections(studyId: StudyId): Promise<readonly Direction[]>;
  deleteStudy(studyId: StudyId): Promise<void>;
  listStudies(): Promise<readonly StudySummary[]>;
  setStudyUserAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void>;
  setStudySystemAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void>;
  getStudyUserAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>>;
  getStudySystemAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>>;

  /** Creates a trial with the next number of its study (numbers have no gaps). */
  createTrial(studyId: StudyId, template: TrialTemplate): Promise<FrozenTrial>;
  /** Atomically turns the oldest WAITING trial into RUNNING and returns it; undefined if none waits. */
  claimWaitingTrial(studyId: StudyId): Promise<FrozenTrial | undefined>;
  /**
   * Starts a trial only if the study holds fewer than `limit.total` trials in `limit.states`:
   * claims the oldest WAITING trial, else creates a RUNNING one; returns undefined when the limit
   * is reached. The count and the start are one atomic step (under the study's lock where
   * processes share the storage), so workers racing for the last trials never overshoot.
   * Optional: without it, optimize counts the trials it has read, then starts one.
   */
  startTrialWithin?(studyId: StudyId, limit: TrialLimit): Promise<FrozenTrial | undefined>;
  /** Throws TrialFinishedError (see TrialPatch), and StorageError for a NaN among the numbers. */
  updateTrial(trialId: TrialId, patch: TrialPatch): Promise<void>;
  getTrial(trialId: TrialId): Promise<FrozenTrial>;
  /** All trials of the study, ordered by number. */
  getAllTrials(studyId: StudyId, options?: { readonly states?: readonly TrialState[] }): Promise<readonly FrozenTrial[]>;

  /**
   * Called when an optimize run returns (normally or not): a chance to make a backup or sync.
   * Optional: storages with nothing to do leave it out.
   */
  checkpoint?(studyId: StudyId): Promise<void>;

  /**
   * For shared storages with heartbeats: fails the study's RUNNING trials whose worker stopped
   * sending heartbeats (systemAttrs.failReason "heartbeat lost") and returns them, each to
   * exactly one caller, which may retry them. Optional; optimize calls it before each trial.
   */
  failStaleTrials?(studyId: StudyId): Promise<readonly FrozenTrial[]>;

  close(): Promise<void>;

  /**
   * Optional: the same trial calls answered synchronously, for a storage whose data lives in this
   * thread (memory). The optimize loop then runs a trial without awaiting. Each must behave
   * exactly as its async twin (same results, same errors, thrown instead of rejected); a subclass
   * that overrides an async method must override its twin too.
   */
  readonly sync?: SyncTrialCalls;
}

/** Synchronous twins of the trial calls the optimize loop makes (see `Storage.sync`). */
export interface SyncTrialCalls {
  createTrial(studyId: StudyId, template: TrialTemplate): FrozenTrial;
  claimWaitingTrial(studyId: StudyId): FrozenTrial | undefined;
  updateTrial(trialId: TrialId, patch: TrialPatch): void;
}
