import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StudyId } from '../../trial/frozen-trial.js';
import { writeFileAtomic } from '../journal/write.js';

/** A study's snapshot, ready to write: its journal text and how many finished trials it holds. */
export interface Snapshot {
  readonly name: string;
  readonly text: string;
  readonly finished: number;
}

export type SnapshotSource = () => Snapshot | undefined;

export interface BackupOptions {
  /** Directory holding one sub-directory of snapshots per study. */
  readonly dir: string;
  /** A snapshot after every this many finished trials of a study; 0 turns periodic snapshots off. */
  readonly every: number;
  /** Snapshots kept per study (the newest); older ones are deleted. */
  readonly keep: number;
  /**
   * Periodic snapshots at least this many seconds apart. Each snapshot rewrites the whole study,
   * so for trials that take milliseconds "every N trials" alone would write the study over and
   * over; work worth a backup is measured in time as much as in trials.
   */
  readonly minSeconds: number;
}

interface StudyBackups {
  finishedSinceLast: number;
  lastStarted: number;
  /** The write in flight, if any. */
  running: Promise<void> | undefined;
  /** A newer snapshot was asked for while one was being written. */
  again: boolean;
}

/**
 * Periodic snapshots of studies in Optuna's journal format: after every `every` finished trials,
 * but not more often than every `minSeconds`, and at each checkpoint (when optimize returns). A snapshot is taken (synchronously,
 * from the storage's records) when its write starts, and written to a temporary file renamed into
 * place, so a crash leaves either the old set of files or the new one. While a snapshot is being
 * written, further requests for the same study collapse into one, so a fast study pays for at most
 * one snapshot in flight however small `every` is.
 */
export class BackupWriter {
  readonly options: BackupOptions;
  readonly #studies = new Map<StudyId, StudyBackups>();
  #sequence = 0;

  constructor(options: BackupOptions) {
    this.options = options;
  }

  /** The directory that holds a study's snapshots. */
  studyDir(studyId: StudyId, name: string): string {
    return join(this.options.dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}-${studyId}`);
  }

  /** Counts a finished trial; starts a snapshot when `every` is reached. */
  noteFinished(studyId: StudyId, snapshot: SnapshotSource): void {
    if (this.options.every <= 0) return;
    const s = this.#state(studyId);
    if (++s.finishedSinceLast < this.options.every) return;
    if (Date.now() - s.lastStarted < this.options.minSeconds * 1000) return;
    s.finishedSinceLast = 0;
    void this.#request(studyId, snapshot).catch(() => {
      // A failed periodic snapshot must not fail the trial that triggered it; the next
      // snapshot (or the one at checkpoint, whose error does surface) tries again.
    });
  }

  /** A snapshot now (after any in flight); errors surface here. */
  async snapshot(studyId: StudyId, snapshot: SnapshotSource): Promise<string | undefined> {
    this.#state(studyId).finishedSinceLast = 0;
    await this.#state(studyId).running?.catch(() => undefined);
    return this.#write(studyId, snapshot);
  }

  async idle(): Promise<void> {
    await Promise.all([...this.#studies.values()].map((s) => s.running?.catch(() => undefined)));
  }

  /** Snapshot files of a study, oldest first. */
  async list(studyId: StudyId, name: string): Promise<string[]> {
    const dir = this.studyDir(studyId, name);
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      return [];
    }
    return files.filter((f) => f.endsWith('.journal')).sort().map((f) => join(dir, f));
  }

  #state(studyId: StudyId): StudyBackups {
    let s = this.#studies.get(studyId);
    if (!s) {
      s = { finishedSinceLast: 0, lastStarted: 0, running: undefined, again: false };
      this.#studies.set(studyId, s);
    }
    return s;
  }

  async #request(studyId: StudyId, snapshot: SnapshotSource): Promise<void> {
    const s = this.#state(studyId);
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = (async () => {
      try {
        do {
          s.again = false;
          await this.#write(studyId, snapshot);
        } while (s.again);
      } finally {
        s.running = undefined;
      }
    })();
    await s.running;
  }

  async #write(studyId: StudyId, snapshot: SnapshotSource): Promise<string | undefined> {
    this.#state(studyId).lastStarted = Date.now();
    const study = snapshot();
    if (!study) return undefined;
    const dir = this.studyDir(studyId, study.name);
    await mkdir(dir, { recursive: true });
    // Sortable names: time, then a sequence number for snapshots within the same millisecond.
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
    const file = join(dir, `${stamp}-${String(this.#sequence++).padStart(6, '0')}-${study.finished}trials.journal`);
    await writeFileAtomic(file, study.text);
    const all = await this.list(studyId, study.name);
    await Promise.all(all.slice(0, Math.max(0, all.length - this.options.keep)).map((f) => rm(f, { force: true })));
    return file;
  }
}
