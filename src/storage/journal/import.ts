import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidOptionError, JournalFormatError, StudyExistsError, StudyNotFoundError } from '../../errors.js';
import type { Distribution } from '../../trial/distributions.js';
import type { StudyId } from '../../trial/frozen-trial.js';
import { DEFAULT_STORAGE_URL, useStorage } from '../resolve.js';
import type { Storage, TrialPatch } from '../storage.js';
import { parsePythonJson } from './python-json.js';
import { JournalReplay, type ReplayedStudy, type ReplayedTrial } from './replay.js';

/** The failure reason given to trials a journal left RUNNING: nothing will ever finish them. */
export const UNFINISHED_REASON = 'unfinished in journal';

export interface ImportJournalOptions {
  /** Store the studies under other names: `{ old: 'new' }`. */
  readonly rename?: Readonly<Record<string, string>>;
}

/**
 * Reads an Optuna JournalStorage file (or a tunelab backup) into a storage and returns the names
 * of the studies written. Trials left RUNNING in the file become FAIL (failReason
 * 'unfinished in journal'), so `optimize({ retryFailed })` can run them again.
 *
 * A damaged line stops the import: the studies as they stood before that line are written to the
 * storage, then a JournalFormatError names the file, the line number and the studies written.
 * Names already in the storage are refused up front (StudyExistsError), before anything is written.
 */
export async function importJournal(path: string, storage: Storage | string = DEFAULT_STORAGE_URL, options: ImportJournalOptions = {}): Promise<readonly string[]> {
  const file = resolve(path);
  const text = await readFile(file, 'utf8');
  const replay = new JournalReplay();
  let failure: { line: number; problem: string; cause: unknown } | undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    try {
      if (line.trim() === '') throw new Error('the line is empty');
      replay.apply(parsePythonJson(line));
    } catch (cause) {
      const last = i === lines.length - 1;
      // Only the last line can be where a write stopped; a bad line before it is damage, not a cut.
      const problem = cause instanceof SyntaxError ? `not a JSON object (${cause.message})${last ? ' — was the file cut short?' : ''}` : (cause as Error).message;
      failure = { line: i + 1, problem, cause };
      break;
    }
  }
  const studies = replay.live();
  const names = studies.map((s) => options.rename?.[s.name] ?? s.name);
  // A storage opened here from a URL is closed again afterwards, so its directory is not left locked.
  await useStorage(storage, async (target) => {
    for (const name of names) await assertFree(target, name);
    for (const [i, s] of studies.entries()) await writeStudy(target, s, names[i] as string);
  });
  if (failure) throw new JournalFormatError(file, failure.line, failure.problem, names, { cause: failure.cause });
  return names;
}

async function assertFree(storage: Storage, name: string): Promise<void> {
  try {
    await storage.getStudyIdByName(name);
  } catch (error) {
    if (error instanceof StudyNotFoundError) return;
    throw error;
  }
  throw new StudyExistsError(name, storage.url);
}

async function writeStudy(storage: Storage, s: ReplayedStudy, name: string): Promise<void> {
  const studyId = await storage.createStudy(name, s.directions);
  for (const key in s.userAttrs) await storage.setStudyUserAttr(studyId, key, s.userAttrs[key]!);
  for (const key in s.systemAttrs) await storage.setStudySystemAttr(studyId, key, s.systemAttrs[key]!);
  // One at a time: trial numbers follow the order of creation, which must be the journal's order.
  for (const t of s.trials) await writeTrial(storage, studyId, t);
}

async function writeTrial(storage: Storage, studyId: StudyId, t: ReplayedTrial): Promise<void> {
  const systemAttrs = { ...t.systemAttrs };
  // Optuna's names for the failure reason and an enqueued trial's params, in tunelab's names.
  if (systemAttrs['failReason'] === undefined && systemAttrs['fail_reason'] !== undefined) systemAttrs['failReason'] = systemAttrs['fail_reason'];
  if (systemAttrs['fixedParams'] === undefined && systemAttrs['fixed_params'] !== undefined) systemAttrs['fixedParams'] = systemAttrs['fixed_params'];
  const created = await storage.createTrial(studyId, {
    state: t.state === 'WAITING' ? 'WAITING' : 'RUNNING',
    systemAttrs,
    userAttrs: t.userAttrs,
    ...(t.datetimeStart && { datetimeStart: t.datetimeStart }),
  });
  const params: Record<string, { value: number; distribution: Distribution }> = {};
  for (const name in t.params) params[name] = { value: t.params[name]!, distribution: t.distributions[name]! };
  const unfinished = t.state === 'RUNNING';
  const patch: TrialPatch = {
    params,
    intermediateValues: t.intermediateValues,
    ...(t.values && { values: t.values }),
    ...(t.state !== 'WAITING' && { state: unfinished ? 'FAIL' : t.state }),
    ...(unfinished && { systemAttrs: { failReason: UNFINISHED_REASON } }),
    ...(t.datetimeComplete && { datetimeComplete: t.datetimeComplete }),
  };
  await storage.updateTrial(created.trialId, patch);
}

export interface RestoreStudyOptions {
  /** The name to restore under; by default the backup's own (which must not exist in the storage). */
  readonly as?: string;
}

/**
 * Restores a study from a backup file (tunelab writes them in Optuna's journal format) into a
 * storage, and returns its name. A damaged backup restores up to the bad line, then throws
 * JournalFormatError naming the line.
 */
export async function restoreStudy(backupFile: string, storage: Storage | string = DEFAULT_STORAGE_URL, options: RestoreStudyOptions = {}): Promise<string> {
  const file = resolve(backupFile);
  const replay = new JournalReplay();
  const first = (await readFile(file, 'utf8')).split('\n', 1)[0] ?? '';
  try {
    replay.apply(parsePythonJson(first));
  } catch (cause) {
    throw new JournalFormatError(file, 1, `the first line must create the study (${(cause as Error).message})`, [], { cause });
  }
  const original = replay.studies[0]?.name;
  if (original === undefined) throw new InvalidOptionError(`${file} holds no study to restore`);
  const name = options.as ?? original;
  await importJournal(file, storage, { rename: { [original]: name } });
  return name;
}
