import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/errors.js';
import { LEVEL_DEFAULTS, LevelStorage, PROCESS_DIED } from '../../../src/storage/level/level-storage.js';
import { studyKey, trialKey } from '../../../src/storage/level/record-codec.js';
import type { StudyId } from '../../../src/trial/frozen-trial.js';
import { removeDir, tempDir } from './helpers.js';

// What a LevelDB storage finds when it opens a directory again, in this process (the kill tests
// do it across processes, through dist/): trials left RUNNING, and records a damaged directory lost.

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => removeDir(dir));

/** Edits the directory's records with LevelDB itself, the storage closed. */
async function raw(edit: (db: Level<string, string>) => Promise<void>): Promise<void> {
  const db = new Level<string, string>(dir);
  await db.open({ createIfMissing: false });
  try {
    await edit(db);
  } finally {
    await db.close();
  }
}

describe('reopening a LevelDB storage', () => {
  it('fails a trial left RUNNING as “process died”, in memory and on disk, and keeps the others as they were', async () => {
    const a = await LevelStorage.open(dir, { keep: 0 });
    const studyId = await a.createStudy('s', ['minimize']);
    const done = await a.createTrial(studyId, { state: 'RUNNING' });
    await a.updateTrial(done.trialId, { state: 'COMPLETE', values: [1] });
    const running = await a.createTrial(studyId, { state: 'RUNNING' });
    const waiting = await a.createTrial(studyId, { state: 'WAITING' });
    await a.close();
    const before = Date.now();
    const b = await LevelStorage.open(dir, { keep: 0 });
    const failed = await b.getTrial(running.trialId);
    expect(failed.state).toBe('FAIL');
    expect(failed.systemAttrs['failReason']).toBe(PROCESS_DIED);
    expect(failed.datetimeComplete?.getTime()).toBeGreaterThanOrEqual(before);
    expect((await b.getTrial(done.trialId)).state).toBe('COMPLETE');
    expect((await b.getTrial(waiting.trialId)).state).toBe('WAITING');
    // The WAITING trial is still the next one claimed.
    expect((await b.claimWaitingTrial(studyId))?.trialId).toBe(waiting.trialId);
    await b.close();
    const c = await LevelStorage.open(dir, { keep: 0 });
    const again = await c.getTrial(running.trialId);
    expect(again.state).toBe('FAIL');
    expect(again.datetimeComplete).toEqual(failed.datetimeComplete);
    // The claimed trial was RUNNING when b closed: it died with b.
    expect((await c.getAllTrials(studyId)).map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'FAIL']);
    await c.close();
  });

  it('refuses a study whose trial records have a gap, naming the missing number', async () => {
    const a = await LevelStorage.open(dir, { keep: 0 });
    const studyId = await a.createStudy('gappy', ['minimize']);
    for (let i = 0; i < 3; i++) await a.createTrial(studyId, { state: 'WAITING' });
    await a.close();
    await raw((db) => db.del(trialKey(studyId, 1)));
    const error = await LevelStorage.open(dir, { keep: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain(`study 'gappy' in level:${dir}: trial 1 is missing (found 2 next); restore the study from a backup with restoreStudy()`);
  });

  it('refuses a study record stored under another study’s key', async () => {
    const a = await LevelStorage.open(dir, { keep: 0 });
    const studyId = await a.createStudy('moved', ['minimize']);
    await a.close();
    const wrong = studyKey((studyId + 7) as StudyId);
    await raw(async (db) => {
      await db.put(wrong, (await db.get(studyKey(studyId))) as string);
    });
    const error = await LevelStorage.open(dir, { keep: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain(`study record '${wrong}' holds study id ${studyId}; the database is damaged`);
  });

  it('reports its backup settings: the defaults, the options given, or none when backups are off', async () => {
    const a = await LevelStorage.open(dir);
    expect(a.backupOptions).toEqual({ dir: `${dir}/backups`, every: LEVEL_DEFAULTS.backupEvery, keep: LEVEL_DEFAULTS.keep, minSeconds: LEVEL_DEFAULTS.backupMinSeconds });
    await a.close();
    const b = await LevelStorage.open(dir, { backupEvery: 7, keep: 2, backupMinSeconds: 0, backupDir: `${dir}-b` });
    expect(b.backupOptions).toEqual({ dir: `${dir}-b`, every: 7, keep: 2, minSeconds: 0 });
    await b.close();
    await removeDir(`${dir}-b`);
    const c = await LevelStorage.open(dir, { keep: 0 });
    expect(c.backupOptions).toBeUndefined();
    await c.close();
  });
});
