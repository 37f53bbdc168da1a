import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Level } from 'level';
import { StorageError, StorageLockedError, StudyExistsError, StudyNotFoundError, TrialNotFoundError } from '../../errors.js';
import type { FrozenTrial, StudyId, TrialId } from '../../trial/frozen-trial.js';
import { isFinished, type Direction, type TrialState } from '../../trial/state.js';
import type { JsonValue } from '../../util/json.js';
import { BackupWriter, type Snapshot } from '../backup/backups.js';
import { journalHeader, journalTrialLine } from '../journal/write.js';
import { forgetStorage } from '../resolve.js';
import type { Storage, StudySummary, TrialLimit, TrialPatch, TrialTemplate } from '../storage.js';
import { applyPatch, freezeRecord, newTrialRecord, type TrialRecord } from '../trial-record.js';
import { decodeJson, decodeTrial, encodeJson, encodeTrial, META_KEY, STUDY_RANGE, studyKey, TRIAL_RANGE, trialKey, type StoredStudy } from './record-codec.js';
import { refuseHeadless, removeStaleBackupTemps, restoreHint } from './open-checks.js';
import { WriteQueue, type Op } from './write-queue.js';

/** The failure reason of trials a dead process left RUNNING. */
export const PROCESS_DIED = 'process died';

export interface LevelStorageOptions {
  /** A backup snapshot after every this many finished trials of a study (default 100; 0: only at checkpoint). */
  readonly backupEvery?: number;
  /** Snapshots kept per study (default 5; 0 turns backups off entirely). */
  readonly keep?: number;
  /** Periodic snapshots at least this many seconds apart (default 10; 0: every `backupEvery` trials exactly). */
  readonly backupMinSeconds?: number;
  /** Where snapshots go (default `<dir>/backups`). */
  readonly backupDir?: string;
}

export const LEVEL_DEFAULTS = { backupEvery: 100, keep: 5, backupMinSeconds: 10 } as const;

interface StudyState {
  /** The study record as it is on disk. */
  stored: StoredStudy;
  /** The trials on disk, by number. */
  readonly trials: TrialRecord[];
  /** WAITING trials not yet claimed, oldest first (claims in flight already removed). */
  waiting: TrialRecord[];
  /** Trials whose creation is being written: they take the next numbers, but nobody sees them yet. */
  creating: number;
  /** The study record with the attribute changes in flight, while there are some. */
  draft: StoredStudy | undefined;
  /** Whether a deletion of the study is in flight. */
  deleting: boolean;
}

interface TrialEntry {
  readonly study: StudyState;
  /** The trial as it is on disk: what readers see. */
  readonly record: TrialRecord;
  /** The trial with the changes in flight applied, while there are some: later changes build on it. */
  draft: TrialRecord | undefined;
  /** Changes of this trial in flight. */
  inFlight: number;
}

interface Meta {
  version: 1;
  nextStudyId: number;
  nextTrialId: number;
}

/** A copy of a record that shares no container with it (attribute values are never changed in place). */
function copyRecord(r: TrialRecord): TrialRecord {
  return {
    ...r,
    values: r.values === undefined ? undefined : [...r.values],
    params: { ...r.params },
    distributions: { ...r.distributions },
    intermediateValues: { ...r.intermediateValues },
    userAttrs: { ...r.userAttrs },
    systemAttrs: { ...r.systemAttrs },
  };
}

function copyStored(s: StoredStudy): StoredStudy {
  return { ...s, userAttrs: { ...s.userAttrs }, systemAttrs: { ...s.systemAttrs } };
}

/**
 * Studies in a LevelDB directory. LevelDB lets one process open a directory, so this process is
 * the only writer: every record is also kept in memory, reads never touch the disk, and writes
 * go out in order through one queue (one atomic batch per change). Each trial is one key holding
 * the whole trial as JSON, so loading a study is one range scan and a killed process loses at
 * most the change in flight — never a finished trial, because `tell` returns only after its
 * batch is in LevelDB's log.
 *
 * A change becomes visible in memory only once its batch is written. While it is in flight, the
 * next change is prepared on top of it (the next trial number, a record with the earlier patch
 * applied); if a write fails (a full disk, an I/O error), that change and every change prepared
 * on top of it are refused with a StorageError and dropped, so memory and disk stay the same and
 * the directory opens again.
 */
export class LevelStorage implements Storage {
  readonly url: string;
  readonly shared = false;
  /** The absolute path of the LevelDB directory. */
  readonly directory: string;
  readonly #db: Level<string, string>;
  readonly #queue: WriteQueue;
  readonly #backups: BackupWriter | undefined;
  readonly #backupDir: string | undefined;
  readonly #studies = new Map<StudyId, StudyState>();
  readonly #byName = new Map<string, StudyId>();
  /** Names of studies whose creation is in flight. */
  readonly #creatingNames = new Set<string>();
  readonly #trials = new Map<TrialId, TrialEntry>();
  /** The counters on disk. */
  readonly #meta: Meta = { version: 1, nextStudyId: 0, nextTrialId: 0 };
  /** The counters with the creations in flight. */
  readonly #next = { studyId: 0, trialId: 0 };
  /**
   * Each trial's journal line, kept until the trial changes: a snapshot then re-serializes only
   * the trials that changed since the last one, so snapshots of a long study stay cheap.
   */
  readonly #journalLines = new WeakMap<TrialRecord, string>();
  #closed = false;
  /** Counts failed writes: a change in flight across one does not touch the counts made after it. */
  #epoch = 0;

  private constructor(url: string, directory: string, db: Level<string, string>, backups: BackupWriter | undefined, backupDir: string | undefined) {
    this.url = url;
    this.directory = directory;
    this.#db = db;
    this.#queue = new WriteQueue(db, () => this.#dropInFlight());
    this.#backups = backups;
    this.#backupDir = backupDir;
  }

  /**
   * Opens (creating if needed) the directory, loads every study, and fails the trials a dead
   * process left RUNNING. Throws StorageLockedError if another process holds the directory, and
   * StorageError naming the latest backup if the directory is damaged.
   */
  static async open(dir: string, options: LevelStorageOptions = {}, url = `level:${dir}`): Promise<LevelStorage> {
    const directory = resolve(dir);
    const keep = options.keep ?? LEVEL_DEFAULTS.keep;
    const backupDir = keep > 0 ? resolve(options.backupDir ?? join(directory, 'backups')) : undefined;
    await mkdir(directory, { recursive: true });
    await refuseHeadless(directory, backupDir ?? join(directory, 'backups'));
    const db = new Level<string, string>(directory, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') throw new StorageLockedError(directory, { cause: error });
      throw new StorageError(`cannot open the LevelDB storage at '${directory}': ${describeLevelError(error)}; ${await restoreHint(backupDir ?? join(directory, 'backups'))}`, { cause: error });
    }
    const backups = backupDir
      ? new BackupWriter({
          dir: backupDir,
          every: options.backupEvery ?? LEVEL_DEFAULTS.backupEvery,
          keep,
          minSeconds: options.backupMinSeconds ?? LEVEL_DEFAULTS.backupMinSeconds,
        })
      : undefined;
    const storage = new LevelStorage(url, directory, db, backups, backupDir);
    try {
      await storage.#load();
      await removeStaleBackupTemps(backupDir);
    } catch (error) {
      await db.close();
      if (error instanceof StorageError) throw error;
      throw new StorageError(`cannot read the LevelDB storage at '${directory}': ${describeLevelError(error)}; ${await restoreHint(backupDir ?? join(directory, 'backups'))}`, { cause: error });
    }
    return storage;
  }

  /** The backup writer's settings, or undefined when backups are off. */
  get backupOptions(): { readonly dir: string; readonly every: number; readonly keep: number; readonly minSeconds: number } | undefined {
    return this.#backups?.options;
  }

  /**
   * The open LevelDB, for other parts of tunelab (such as the evaluation cache) that must keep
   * data in this directory, since LevelDB opens only once per process. Use `db.sublevel(name)`:
   * its keys ('!name!...') never mix with the storage's own, which start with a letter.
   */
  get db(): Level<string, string> {
    return this.#db;
  }

  async #load(): Promise<void> {
    const meta = await this.#db.get(META_KEY);
    if (meta !== undefined) Object.assign(this.#meta, JSON.parse(meta) as Meta);
    for (const [key, value] of await this.#db.iterator(STUDY_RANGE).all()) {
      const stored = decodeJson(value) as StoredStudy;
      this.#studies.set(stored.studyId, { stored, trials: [], waiting: [], creating: 0, draft: undefined, deleting: false });
      this.#byName.set(stored.name, stored.studyId);
      if (studyKey(stored.studyId) !== key) throw new StorageError(`study record '${key}' holds study id ${stored.studyId}; the database is damaged`);
    }
    const died: Op[] = [];
    const now = Date.now();
    for (const [key, value] of await this.#db.iterator(TRIAL_RANGE).all()) {
      const study = this.#studies.get(Number(key.slice(1, 11)) as StudyId);
      if (!study) continue;
      const record = decodeTrial(value, key);
      if (record.number !== study.trials.length) {
        throw new StorageError(`study '${study.stored.name}' in ${this.url}: trial ${study.trials.length} is missing (found ${record.number} next); restore the study from a backup with restoreStudy()`);
      }
      // The directory lock means no live process owns a RUNNING trial found on opening.
      if (record.state === 'RUNNING') {
        applyPatch(record, { state: 'FAIL', systemAttrs: { failReason: PROCESS_DIED }, datetimeComplete: new Date(now) });
        died.push({ type: 'put', key, value: encodeTrial(record) });
      }
      study.trials.push(record);
      if (record.state === 'WAITING') study.waiting.push(record);
      this.#trials.set(record.trialId, { study, record, draft: undefined, inFlight: 0 });
    }
    this.#next.studyId = this.#meta.nextStudyId;
    this.#next.trialId = this.#meta.nextTrialId;
    // Written before the storage is handed out: if it fails, the open fails and nothing changed on disk.
    if (died.length > 0) await this.#queue.write(died, () => undefined);
  }

  async createStudy(name: string, directions: readonly Direction[]): Promise<StudyId> {
    this.#assertOpen();
    if (this.#byName.has(name) || this.#creatingNames.has(name)) throw new StudyExistsError(name, this.url);
    const studyId = this.#next.studyId++ as StudyId;
    const stored: StoredStudy = { studyId, name, directions: [...directions], userAttrs: {}, systemAttrs: {} };
    const meta: Meta = { ...this.#meta, nextStudyId: this.#next.studyId };
    this.#creatingNames.add(name);
    try {
      await this.#write([this.#studyPut(stored), this.#metaPut(meta)], () => {
        this.#studies.set(studyId, { stored, trials: [], waiting: [], creating: 0, draft: undefined, deleting: false });
        this.#byName.set(name, studyId);
        this.#meta.nextStudyId = Math.max(this.#meta.nextStudyId, meta.nextStudyId);
      });
    } finally {
      this.#creatingNames.delete(name);
    }
    return studyId;
  }

  async getStudyIdByName(name: string): Promise<StudyId> {
    const id = this.#byName.get(name);
    if (id === undefined) throw new StudyNotFoundError(name, this.url);
    return id;
  }

  async getStudyName(studyId: StudyId): Promise<string> {
    return this.#study(studyId).stored.name;
  }

  async getStudyDirections(studyId: StudyId): Promise<readonly Direction[]> {
    return [...this.#study(studyId).stored.directions];
  }

  async deleteStudy(studyId: StudyId): Promise<void> {
    this.#assertOpen();
    const study = this.#study(studyId);
    // Trials being created are deleted with the study (their keys follow the ones on disk).
    const ops: Op[] = [{ type: 'del', key: studyKey(studyId) }];
    for (let n = 0; n < study.trials.length + study.creating; n++) ops.push({ type: 'del', key: trialKey(studyId, n) });
    study.deleting = true;
    await this.#write(ops, () => {
      for (const t of study.trials) this.#trials.delete(t.trialId);
      this.#studies.delete(studyId);
      this.#byName.delete(study.stored.name);
    });
  }

  async listStudies(): Promise<readonly StudySummary[]> {
    return [...this.#studies.values()].map((s) => ({
      studyId: s.stored.studyId,
      name: s.stored.name,
      directions: [...s.stored.directions],
      nTrials: s.trials.length,
      userAttrs: structuredClone(s.stored.userAttrs),
      datetimeStart: s.trials[0]?.datetimeStart === undefined ? undefined : new Date(s.trials[0].datetimeStart),
    }));
  }

  async setStudyUserAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    await this.#setStudyAttr(studyId, 'userAttrs', key, value);
  }

  async setStudySystemAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    await this.#setStudyAttr(studyId, 'systemAttrs', key, value);
  }

  async #setStudyAttr(studyId: StudyId, kind: 'userAttrs' | 'systemAttrs', key: string, value: JsonValue): Promise<void> {
    this.#assertOpen();
    const study = this.#study(studyId);
    const draft = copyStored(study.draft ?? study.stored);
    draft[kind][key] = structuredClone(value);
    study.draft = draft;
    await this.#write([this.#studyPut(draft)], () => {
      study.stored = draft;
      if (study.draft === draft) study.draft = undefined;
    });
  }

  async getStudyUserAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>> {
    return structuredClone(this.#study(studyId).stored.userAttrs);
  }

  async getStudySystemAttrs(studyId: StudyId): Promise<Readonly<Record<string, JsonValue>>> {
    return structuredClone(this.#study(studyId).stored.systemAttrs);
  }

  async createTrial(studyId: StudyId, template: TrialTemplate): Promise<FrozenTrial> {
    this.#assertOpen();
    const study = this.#study(studyId);
    // Number and id are taken synchronously, so parallel calls get distinct, gap-free numbers.
    const record = newTrialRecord(this.#next.trialId++ as TrialId, study.trials.length + study.creating, template.state, template.datetimeStart?.getTime() ?? Date.now());
    if (template.systemAttrs) Object.assign(record.systemAttrs, structuredClone(template.systemAttrs));
    if (template.userAttrs) Object.assign(record.userAttrs, structuredClone(template.userAttrs));
    const meta: Meta = { ...this.#meta, nextTrialId: this.#next.trialId };
    study.creating++;
    await this.#write([{ type: 'put', key: trialKey(studyId, record.number), value: encodeTrial(record) }, this.#metaPut(meta)], () => {
      study.creating--;
      study.trials.push(record);
      if (record.state === 'WAITING') study.waiting.push(record);
      this.#trials.set(record.trialId, { study, record, draft: undefined, inFlight: 0 });
      this.#meta.nextTrialId = Math.max(this.#meta.nextTrialId, meta.nextTrialId);
    });
    return freezeRecord(record);
  }

  async claimWaitingTrial(studyId: StudyId): Promise<FrozenTrial | undefined> {
    this.#assertOpen();
    const study = this.#study(studyId);
    while (study.waiting.length > 0) {
      const record = study.waiting.shift() as TrialRecord;
      if (record.state !== 'WAITING') continue;
      const entry = this.#trials.get(record.trialId) as TrialEntry;
      if (entry.draft !== undefined && entry.draft.state !== 'WAITING') continue;
      return freezeRecord(await this.#changeTrial(entry, { state: 'RUNNING' }));
    }
    return undefined;
  }

  async startTrialWithin(studyId: StudyId, limit: TrialLimit): Promise<FrozenTrial | undefined> {
    this.#assertOpen();
    const study = this.#study(studyId);
    // Counted synchronously with the start below, changes in flight included (a claim in flight
    // by its draft's state, a creation in flight as RUNNING), so parallel calls never overshoot.
    let counted = limit.states.includes('RUNNING') ? study.creating : 0;
    for (const record of study.trials) {
      const state = this.#trials.get(record.trialId)?.draft?.state ?? record.state;
      if (limit.states.includes(state)) counted++;
    }
    if (counted >= limit.total) return undefined;
    // claimWaitingTrial takes a waiting trial synchronously too (the same test as here).
    const hasWaiting = study.waiting.some((r) => r.state === 'WAITING' && (this.#trials.get(r.trialId)?.draft?.state ?? 'WAITING') === 'WAITING');
    return hasWaiting ? ((await this.claimWaitingTrial(studyId)) ?? this.createTrial(studyId, { state: 'RUNNING' })) : this.createTrial(studyId, { state: 'RUNNING' });
  }

  async updateTrial(trialId: TrialId, patch: TrialPatch): Promise<void> {
    this.#assertOpen();
    const entry = this.#trials.get(trialId);
    if (!entry) throw new TrialNotFoundError(`with id ${trialId} in ${this.url}`);
    const wasFinished = isFinished(entry.record.state);
    const after = await this.#changeTrial(entry, patch.userAttrs === undefined && patch.systemAttrs === undefined ? patch : structuredClone(patch));
    if (!wasFinished && isFinished(after.state)) {
      const studyId = entry.study.stored.studyId;
      this.#backups?.noteFinished(studyId, () => this.#snapshot(studyId));
    }
  }

  /**
   * Applies a patch on top of the trial's changes in flight, writes the result, and once it is
   * written makes it what readers see. Returns the trial as written. Throws (before writing) what
   * applyPatch throws: a finished trial refuses a new state.
   */
  async #changeTrial(entry: TrialEntry, patch: TrialPatch): Promise<TrialRecord> {
    const draft = copyRecord(entry.draft ?? entry.record);
    applyPatch(draft, patch);
    const written = copyRecord(draft);
    entry.draft = draft;
    entry.inFlight++;
    const { study, record } = entry;
    const epoch = this.#epoch;
    try {
      await this.#write([{ type: 'put', key: trialKey(study.stored.studyId, record.number), value: encodeTrial(written) }], () => {
        Object.assign(record, written);
        this.#journalLines.delete(record);
      });
    } finally {
      // After a failed write, #dropInFlight has reset the count: changes made since are counted anew.
      if (epoch === this.#epoch && --entry.inFlight === 0) entry.draft = undefined;
    }
    return written;
  }

  async getTrial(trialId: TrialId): Promise<FrozenTrial> {
    const entry = this.#trials.get(trialId);
    if (!entry) throw new TrialNotFoundError(`with id ${trialId} in ${this.url}`);
    return freezeRecord(entry.record);
  }

  async getAllTrials(studyId: StudyId, options?: { readonly states?: readonly TrialState[] }): Promise<readonly FrozenTrial[]> {
    const trials = this.#study(studyId).trials;
    const states = options?.states;
    return (states ? trials.filter((t) => states.includes(t.state)) : trials).map(freezeRecord);
  }

  /** Writes a backup snapshot of the study (called when optimize returns). */
  async checkpoint(studyId: StudyId): Promise<void> {
    await this.#queue.idle();
    if (this.#studies.has(studyId)) await this.#backups?.snapshot(studyId, () => this.#snapshot(studyId));
  }

  /** Writes a backup snapshot now and returns its path (undefined when backups are off). */
  async backupNow(studyName: string): Promise<string | undefined> {
    const studyId = await this.getStudyIdByName(studyName);
    await this.#queue.idle();
    return this.#backups?.snapshot(studyId, () => this.#snapshot(studyId));
  }

  /** A study's backup snapshots, oldest first. */
  async listBackups(studyName: string): Promise<string[]> {
    const studyId = await this.getStudyIdByName(studyName);
    return this.#backups ? this.#backups.list(studyId, studyName) : [];
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    forgetStorage(this);
    await this.#queue.idle();
    await this.#backups?.idle();
    await this.#db.close();
  }

  #snapshot(studyId: StudyId): Snapshot | undefined {
    const study = this.#studies.get(studyId);
    if (!study) return undefined;
    let text = journalHeader(study.stored);
    let finished = 0;
    for (const record of study.trials) {
      let line = this.#journalLines.get(record);
      if (line === undefined) {
        line = journalTrialLine(freezeRecord(record));
        this.#journalLines.set(record, line);
      }
      text += line;
      if (isFinished(record.state)) finished++;
    }
    return { name: study.stored.name, text, finished };
  }

  #studyPut(stored: StoredStudy): Op {
    return { type: 'put', key: studyKey(stored.studyId), value: encodeJson(stored, stored.userAttrs, stored.systemAttrs) };
  }

  #metaPut(meta: Meta): Op {
    return { type: 'put', key: META_KEY, value: JSON.stringify(meta) };
  }

  async #write(ops: readonly Op[], commit: () => void): Promise<void> {
    try {
      await this.#queue.write(ops, commit);
    } catch (error) {
      throw new StorageError(`writing to the LevelDB storage at '${this.directory}' failed, and the change was not made: ${describeLevelError(error)}`, { cause: error });
    }
  }

  /**
   * A write failed: the queue refuses it and every change queued behind it. Forget what those
   * changes had prepared, so the next change starts from what is on disk.
   */
  #dropInFlight(): void {
    this.#next.studyId = this.#meta.nextStudyId;
    this.#next.trialId = this.#meta.nextTrialId;
    this.#creatingNames.clear();
    for (const study of this.#studies.values()) {
      study.creating = 0;
      study.draft = undefined;
      study.deleting = false;
      study.waiting = study.trials.filter((t) => t.state === 'WAITING');
    }
    for (const entry of this.#trials.values()) {
      entry.draft = undefined;
      entry.inFlight = 0;
    }
    this.#epoch++;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError(`the LevelDB storage at '${this.directory}' is closed; open it again with resolveStorage('level:${this.directory}') or loadStudy(name, 'level:<dir>')`);
  }

  #study(studyId: StudyId): StudyState {
    const study = this.#studies.get(studyId);
    if (!study || study.deleting) throw new StorageError(`study id ${studyId} does not exist in ${this.url} (was it deleted?)`);
    return study;
  }
}

/** A LevelDB error with its cause: classic-level wraps the cause ("Corruption: ...") in a generic message. */
function describeLevelError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const text = typeof code === 'string' && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
    if (!parts.some((p) => p.includes(text))) parts.push(text);
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}
