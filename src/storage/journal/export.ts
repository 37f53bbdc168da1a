import { resolve } from 'node:path';
import type { StudyId } from '../../trial/frozen-trial.js';
import type { Storage } from '../storage.js';
import { journalText, writeFileAtomic } from './write.js';

/**
 * Writes a stored study as an Optuna JournalStorage file, which Python Optuna (3.1 and later) opens
 * with `optuna.load_study(study_name=..., storage=JournalStorage(JournalFileStorage(path)))`.
 * The file is replaced atomically. Returns the absolute path written. `study.exportJournal(path)`
 * is the same for an open study (it first waits for the study's pending writes).
 */
export async function exportJournal(storage: Storage, studyId: StudyId, path: string): Promise<string> {
  const [name, directions, trials, userAttrs, systemAttrs] = await Promise.all([
    storage.getStudyName(studyId),
    storage.getStudyDirections(studyId),
    storage.getAllTrials(studyId),
    storage.getStudyUserAttrs(studyId),
    storage.getStudySystemAttrs(studyId),
  ]);
  const file = resolve(path);
  await writeFileAtomic(file, journalText({ name, directions, userAttrs, systemAttrs, trials }));
  return file;
}
