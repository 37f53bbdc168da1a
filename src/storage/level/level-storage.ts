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
import type { Storage, StudySummary, TrialPatch, TrialTemplate } from '../storage.js';
import { applyPatch, freezeRecord, newTrialRecord, type TrialRecord } from '../trial-record.js';
import { decodeJson, decodeTrial, encodeJson, encodeTrial, META_KEY, STUDY_RANGE, studyKey, TRIAL_RANGE, trialKey, type StoredStudy } from './record-codec.js';
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
  readonly stored: StoredStudy;
  readonly trials: TrialRecord[];
  readonly waiting: TrialRecord[];
}

interface Meta {
  version: 1;
  nextStudyId: number;
  nextTrialId: number;
}

/**
 * Studies in a LevelDB directory. LevelDB lets one process open a directory, so this process is
 * the only writer: every record is also kept in memory, reads never touch the disk, and writes
 * go out in order through one queue (one atomic batch per change). Each trial is one key holding
 * the whole trial as JSON, so loading a study is one range scan and a killed process loses at
 * most the change in flight — never a finished trial, because `tell` returns only after its
 * batch is in LevelDB's log.
 */
export class LevelStorage implements Storage {
  readonly url: string;
  readonly shared = false;
  /** The absolute path of the LevelDB directory. */
  readonly directory: string;
  readonly #db: Level<string, string>;
  readonly #queue: WriteQueue;
  readonly #backups: BackupWriter | undefined;
  readonly #studies = new Map<StudyId, StudyState>();
  readonly #byName = new Map<string, StudyId>();
  readonly #trials = new Map<TrialId, { study: StudyState; record: TrialRecord }>();
  readonly #meta: Meta = { version: 1, nextStudyId: 0, nextTrialId: 0 };
  /**
   * Each trial's journal line, kept until the trial changes: a snapshot then re-serializes only
   * the trials that changed since the last one, so snapshots of a long study stay cheap.
   */
  readonly #journalLines = new WeakMap<TrialRecord, string>();
  #closed = false;

  private constructor(url: string, directory: string, db: Level<string, string>, backups: BackupWriter | undefined) {
    this.url = url;
    this.directory = directory;
    this.#db = db;
    this.#queue = new WriteQueue(db);
    this.#backups = backups;
  }

  /**
   * Opens (creating if needed) the directory, loads every study, and fails the trials a dead
   * process left RUNNING. Throws StorageLockedError if another process holds the directory.
   */
  static async open(dir: string, options: LevelStorageOptions = {}, url = `level:${dir}`): Promise<LevelStorage> {
    const directory = resolve(dir);
    await mkdir(directory, { recursive: true });
    const db = new Level<string, string>(directory, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') throw new StorageLockedError(directory, { cause: error });
      throw new StorageError(`cannot open the LevelDB storage at '${directory}': ${(error as Error).message}`, { cause: error });
    }
    const keep = options.keep ?? LEVEL_DEFAULTS.keep;
    const backups =
      keep > 0
        ? new BackupWriter({
            dir: options.backupDir ?? join(directory, 'backups'),
            every: options.backupEvery ?? LEVEL_DEFAULTS.backupEvery,
            keep,
            minSeconds: options.backupMinSeconds ?? LEVEL_DEFAULTS.backupMinSeconds,
          })
        : undefined;
    const storage = new LevelStorage(url, directory, db, backups);
    try {
      await storage.#load();
    } catch (error) {
      await db.close();
      throw error;
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
      this.#studies.set(stored.studyId, { stored, trials: [], waiting: [] });
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
      this.#trials.set(record.trialId, { study, record });
    }
    if (died.length > 0) await this.#queue.write(died);
  }

  async createStudy(name: string, directions: readonly Direction[]): Promise<StudyId> {
    this.#assertOpen();
    if (this.#byName.has(name)) throw new StudyExistsError(name, this.url);
    const studyId = this.#meta.nextStudyId++ as StudyId;
    const stored: StoredStudy = { studyId, name, directions: [...directions], userAttrs: {}, systemAttrs: {} };
    this.#studies.set(studyId, { stored, trials: [], waiting: [] });
    this.#byName.set(name, studyId);
    await this.#write([this.#studyPut(stored), this.#metaPut()]);
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
    const ops: Op[] = [{ type: 'del', key: studyKey(studyId) }];
    for (const t of study.trials) {
      ops.push({ type: 'del', key: trialKey(studyId, t.number) });
      this.#trials.delete(t.trialId);
    }
    this.#studies.delete(studyId);
    this.#byName.delete(study.stored.name);
    await this.#write(ops);
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
    this.#assertOpen();
    const study = this.#study(studyId);
    study.stored.userAttrs[key] = structuredClone(value);
    await this.#write([this.#studyPut(study.stored)]);
  }

  async setStudySystemAttr(studyId: StudyId, key: string, value: JsonValue): Promise<void> {
    this.#assertOpen();
    const study = this.#study(studyId);
    study.stored.systemAttrs[key] = structuredClone(value);
    await this.#write([this.#studyPut(study.stored)]);
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
    const record = newTrialRecord(this.#meta.nextTrialId++ as TrialId, study.trials.length, template.state, template.datetimeStart?.getTime() ?? Date.now());
    if (template.systemAttrs) Object.assign(record.systemAttrs, structuredClone(template.systemAttrs));
    if (template.userAttrs) Object.assign(record.userAttrs, structuredClone(template.userAttrs));
    study.trials.push(record);
    if (record.state === 'WAITING') study.waiting.push(record);
    this.#trials.set(record.trialId, { study, record });
    const frozen = freezeRecord(record);
    await this.#write([{ type: 'put', key: trialKey(studyId, record.number), value: encodeTrial(record) }, this.#metaPut()]);
    return frozen;
  }

  async claimWaitingTrial(studyId: StudyId): Promise<FrozenTrial | undefined> {
    this.#assertOpen();
    const study = this.#study(studyId);
    while (study.waiting.length > 0) {
      const record = study.waiting.shift() as TrialRecord;
      if (record.state !== 'WAITING') continue;
      applyPatch(record, { state: 'RUNNING' });
      this.#journalLines.delete(record);
      const frozen = freezeRecord(record);
      await this.#write([{ type: 'put', key: trialKey(studyId, record.number), value: encodeTrial(record) }]);
      return frozen;
    }
    return undefined;
  }

  async updateTrial(trialId: TrialId, patch: TrialPatch): Promise<void> {
    this.#assertOpen();
    const entry = this.#trials.get(trialId);
    if (!entry) throw new TrialNotFoundError(`with id ${trialId} in ${this.url}`);
    const { study, record } = entry;
    const wasFinished = isFinished(record.state);
    applyPatch(record, patch.userAttrs === undefined && patch.systemAttrs === undefined ? patch : structuredClone(patch));
    this.#journalLines.delete(record);
    await this.#write([{ type: 'put', key: trialKey(study.stored.studyId, record.number), value: encodeTrial(record) }]);
    if (!wasFinished && isFinished(record.state)) {
      const studyId = study.stored.studyId;
      this.#backups?.noteFinished(studyId, () => this.#snapshot(studyId));
    }
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

  #metaPut(): Op {
    return { type: 'put', key: META_KEY, value: JSON.stringify(this.#meta) };
  }

  async #write(ops: readonly Op[]): Promise<void> {
    try {
      await this.#queue.write(ops);
    } catch (error) {
      throw new StorageError(`writing to the LevelDB storage at '${this.directory}' failed: ${(error as Error).message}`, { cause: error });
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError(`the LevelDB storage at '${this.directory}' is closed; open it again with resolveStorage('level:${this.directory}') or loadStudy(name, 'level:<dir>')`);
  }

  #study(studyId: StudyId): StudyState {
    const study = this.#studies.get(studyId);
    if (!study) throw new StorageError(`study id ${studyId} does not exist in ${this.url} (was it deleted?)`);
    return study;
  }
}
