import { resolve } from 'node:path';
import type { Study } from '../../study/study.js';
import { journalText, writeFileAtomic } from './write.js';

/**
 * Writes a study as an Optuna JournalStorage file, which Python Optuna (3.1 and later) opens with
 * `optuna.load_study(study_name=..., storage=JournalStorage(JournalFileStorage(path)))`.
 * The file is replaced atomically. Returns the absolute path written.
 */
export async function exportJournal(study: Study, path: string): Promise<string> {
  await study.flush();
  const storage = study.storage;
  const [trials, userAttrs, systemAttrs] = await Promise.all([
    storage.getAllTrials(study.studyId),
    storage.getStudyUserAttrs(study.studyId),
    storage.getStudySystemAttrs(study.studyId),
  ]);
  const file = resolve(path);
  await writeFileAtomic(file, journalText({ name: study.name, directions: study.directions, userAttrs, systemAttrs, trials }));
  return file;
}
