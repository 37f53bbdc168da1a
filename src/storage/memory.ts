import { StorageError, StudyExistsError, StudyNotFoundError, TrialNotFoundError } from '../errors.js';
import type { FrozenTrial, StudyId, TrialId } from '../trial/frozen-trial.js';
import type { Direction, TrialState } from '../trial/state.js';
import type { JsonValue } from '../util/json.js';
import type { Storage, StudySummary, SyncTrialCalls, TrialLimit, TrialPatch, TrialTemplate } from './storage.js';
import { applyPatch, freezeRecord, newTrialRecord, type TrialRecord } from './trial-record.js';

interface StudyRecord {
  studyId: StudyId;
  name: string;
  directions: readonly Direction[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  trials: TrialRecord[];
  waiting: TrialRecord[];
}

/** Studies in this process's memory: fast, and gone when the process ends. */
export class InMemoryStorage implements Storage {
  readonly url = 'memory:';
  readonly shared = false;
  #studies = new Map<StudyId, StudyRecord>();
  #byName = new Map<string, StudyId>();
  // Indexed by trial id: ids are this storage's own counter, so the array stays dense.
  #records: (TrialRecord | undefined)[] = [];
  #nextStudyId = 0;
  #nextTrialId = 0;
  /** Everything is in this thread's memory, so the trial calls also exist without a promise. */
  readonly sync: SyncTrialCalls = {
    createTrial: (studyId, template) => this.#createTrial(studyId, template),
    claimWaitingTrial: (studyId) => this.#claimWaitingTrial(studyId),
    updateTrial: (trialId, patch) => this.#updateTrial(trialId, patch),
  };

  async createStudy(name: string, directions: readonly Direction[]): Promise<StudyId> {
    if (this.#byName.has(name)) throw new StudyExistsError(name, this.url);
    const studyId = this.#nextStudyId++ as StudyId;
    this.#studies.set(studyId, { studyId, name, directions: [...directions], userAttrs: {}, systemAttrs: {}, trials: [], waiting: [] });
    this.#byName.set(name, studyId);
    return studyId;
  }

  async getStudyIdByName(name: string): Promise<StudyId> {
    const id = this.#byName.get(name);
    if (id === undefined) throw new StudyNotFoundError(name, this.url);
    return id;
  }

  async getStudyName(studyId: StudyId): Promise<string> {
    return this.#study(studyId).name;
  }

  async getStudyDirections(studyId: StudyId): Promise<readonly Direction[]> {
    return [...this.#study(studyId).directions];
  }

  async deleteStudy(studyId: StudyId): Promise<void> {
    const study = this.#study(studyId);
    for (const t of study.trials) this.#records[t.trialId] = undefined;
    this.#studies.delete(studyId);
    this.#byName.delete(study.name);
  }

  async listStudies(): Promise<readonly StudySummary[]> {
    return [...this.#studies.values()].map((s) => ({
      studyId: s.studyId,
      name: s.name,
      directions: [...s.directions],
      nTrials: s.trials.length,
      userAttrs: { ...s.userAttrs },
      datetimeStart: s.trials[0]?.datetimeStart === undefined ? undefined : new Date(s.trials[0].datetimeStart),
    }));
  }

  async setStudyUserAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    this.#study(studyId).userAttrs[key] = value;
  }

  async setStudySystemAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    this.#study(studyId).systemAttrs[key] = value;
  }

  async getStudyUserAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>> {
    return { ...this.#study(studyId).userAttrs };
  }

  async getStudySystemAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>> {
    return { ...this.#study(studyId).systemAttrs };
  }

  async createTrial(studyId: StudyId, template: TrialTemplate): Promise<FrozenTrial> {
    return this.#createTrial(studyId, template);
  }

  async claimWaitingTrial(studyId: StudyId): Promise<FrozenTrial | undefined> {
    return this.#claimWaitingTrial(studyId);
  }

  async updateTrial(trialId: TrialId, patch: TrialPatch): Promise<void> {
    this.#updateTrial(trialId, patch);
  }

  async startTrialWithin(studyId: StudyId, limit: TrialLimit): Promise<FrozenTrial | undefined> {
    // One synchronous step: nothing else runs between the count and the start.
    let counted = 0;
    for (const t of this.#study(studyId).trials) if (limit.states.includes(t.state)) counted++;
    if (counted >= limit.total) return undefined;
    return this.#claimWaitingTrial(studyId) ?? this.#createTrial(studyId, { state: 'RUNNING' });
  }

  #createTrial(studyId: StudyId, template: TrialTemplate): FrozenTrial {
    const study = this.#study(studyId);
    const record = newTrialRecord(this.#nextTrialId++ as TrialId, study.trials.length, template.state, template.datetimeStart?.getTime() ?? Date.now());
    if (template.systemAttrs) Object.assign(record.systemAttrs, structuredClone(template.systemAttrs));
    if (template.userAttrs) Object.assign(record.userAttrs, structuredClone(template.userAttrs));
    study.trials.push(record);
    if (record.state === 'WAITING') study.waiting.push(record);
    this.#records[record.trialId] = record;
    return freezeRecord(record);
  }

  #claimWaitingTrial(studyId: StudyId): FrozenTrial | undefined {
    const study = this.#study(studyId);
    while (study.waiting.length > 0) {
      const record = study.waiting.shift() as TrialRecord;
      if (record.state !== 'WAITING') continue;
      applyPatch(record, { state: 'RUNNING' });
      return freezeRecord(record);
    }
    return undefined;
  }

  #updateTrial(trialId: TrialId, patch: TrialPatch): void {
    // Attributes and params are copied so that later changes by the caller cannot reach the store.
    applyPatch(this.#record(trialId), structuredCloneSafe(patch));
  }

  async getTrial(trialId: TrialId): Promise<FrozenTrial> {
    return freezeRecord(this.#record(trialId));
  }

  async getAllTrials(studyId: StudyId, options?: { readonly states?: readonly TrialState[] }): Promise<readonly FrozenTrial[]> {
    const trials = this.#study(studyId).trials;
    const states = options?.states;
    return (states ? trials.filter((t) => states.includes(t.state)) : trials).map(freezeRecord);
  }

  async close(): Promise<void> {
    // Nothing to release: the data lives as long as this object.
  }

  #record(trialId: TrialId): TrialRecord {
    const record = Number.isInteger(trialId) ? this.#records[trialId] : undefined;
    if (!record) throw new TrialNotFoundError(`with id ${trialId} in ${this.url}`);
    return record;
  }

  #study(studyId: StudyId): StudyRecord {
    const study = this.#studies.get(studyId);
    if (!study) throw new StorageError(`study id ${studyId} does not exist in ${this.url} (was it deleted?)`);
    return study;
  }
}

function structuredCloneSafe(patch: TrialPatch): TrialPatch {
  // Values, params and distributions are plain numbers/records built by tunelab; only
  // user-supplied attributes can be aliased by the caller.
  if (patch.userAttrs === undefined && patch.systemAttrs === undefined) return patch;
  return {
    ...patch,
    ...(patch.userAttrs && { userAttrs: structuredClone(patch.userAttrs) }),
    ...(patch.systemAttrs && { systemAttrs: structuredClone(patch.systemAttrs) }),
  };
}
