import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalFormatError, StorageLockedError, StudyExistsError } from '../../../src/errors.js';
import { RandomSampler } from '../../../src/search/samplers/random.js';
import { restoreStudy } from '../../../src/storage/journal/import.js';
import { LevelStorage } from '../../../src/storage/level/level-storage.js';
import { levelStorage, parseLevelUrl } from '../../../src/storage/level/register.js';
import { InMemoryStorage } from '../../../src/storage/memory.js';
import { resolveStorage } from '../../../src/storage/resolve.js';
import { createStudy, deleteStudy, listStudies, loadStudy } from '../../../src/study/create.js';
import type { Trial } from '../../../src/trial/trial.js';
import { removeDir, tempDir } from './helpers.js';

function objective(trial: Trial): number {
  const x = trial.suggestFloat('x', -2, 2);
  const k = trial.suggestCategorical('k', ['a', 'b']);
  trial.report(x * x + 1, 0);
  trial.setUserAttr('k', k);
  return x * x + (k === 'a' ? 0 : 0.5);
}

describe('LevelDB storage', () => {
  let dir: string;
  const cwd = process.cwd();
  const opened: LevelStorage[] = [];
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    if (isMainThread) process.chdir(cwd);
    for (const s of opened.splice(0)) await s.close();
    await removeDir(dir);
  });
  const track = <T extends LevelStorage>(s: T): T => {
    opened.push(s);
    return s;
  };

  // Stryker's vitest runner runs the tests in worker threads, where process.chdir() throws; npm test and CI
  // run them in forked processes, where this test always runs.
  it.runIf(isMainThread)('keeps a named study with no storage in level:.tunelab under the working directory, and resumes it with totalTrials', async () => {
    process.chdir(dir);
    const study = await createStudy({ name: 'notebook', sampler: new RandomSampler({ seed: 1 }) });
    const storage = track(study.storage as LevelStorage);
    expect(storage).toBeInstanceOf(LevelStorage);
    expect(storage.url).toBe('level:.tunelab');
    expect(storage.directory).toBe(join(dir, '.tunelab'));
    // The same directory under other spellings is the same, single LevelDB handle.
    expect(await resolveStorage('level:./.tunelab')).toBe(storage);
    expect(await resolveStorage(`level:${join(dir, '.tunelab')}`)).toBe(storage);
    await study.optimize(objective, { totalTrials: 5 });
    await storage.close();

    // "Re-running the cell": the study is found again and only the missing trials run.
    const again = await createStudy({ name: 'notebook', loadIfExists: true, sampler: new RandomSampler({ seed: 1 }) });
    track(again.storage as LevelStorage);
    expect(again.storage).not.toBe(storage);
    expect(again.trials).toHaveLength(5);
    await again.optimize(objective, { totalTrials: 8 });
    expect(again.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(8);
    await again.optimize(objective, { totalTrials: 8 });
    expect(again.trials).toHaveLength(8);
  });

  it('lists and deletes studies, and keeps study and trial user attributes, across reopening', async () => {
    const url = `level:${dir}/db`;
    const a = await createStudy({ name: 'a', storage: url, sampler: new RandomSampler({ seed: 2 }) });
    await createStudy({ name: 'b', storage: url, direction: 'maximize' });
    await a.setUserAttr('dataset', { name: 'btc', rows: 1234 });
    await a.optimize(objective, { nTrials: 3 });
    const first = a.storage as LevelStorage;
    await first.close();
    const storage = track(await LevelStorage.open(`${dir}/db`));
    expect((await listStudies(storage)).map((s) => [s.name, s.nTrials])).toEqual([['a', 3], ['b', 0]]);
    const loaded = await loadStudy('a', storage);
    expect(loaded.userAttrs).toEqual({ dataset: { name: 'btc', rows: 1234 } });
    expect(loaded.trials.map((t) => t.userAttrs['k'])).toEqual(a.trials.map((t) => t.params['k']));
    await deleteStudy('b', storage);
    await expect(createStudy({ name: 'a', storage })).rejects.toBeInstanceOf(StudyExistsError);
    expect((await listStudies(storage)).map((s) => s.name)).toEqual(['a']);
  });

  it('refuses a second open of the same directory with StorageLockedError naming it', async () => {
    track(await LevelStorage.open(dir));
    const error = await LevelStorage.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageLockedError);
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain('another process');
  });

  it('parses level: URLs and refuses unknown options', () => {
    expect(parseLevelUrl('level:.tunelab?backupEvery=10&keep=3')).toEqual({ dir: '.tunelab', options: { backupEvery: 10, keep: 3 } });
    expect(parseLevelUrl('level:')).toEqual({ dir: '.tunelab', options: {} });
    expect(parseLevelUrl('level:/tmp/x?backupMinSeconds=0&backupDir=/b')).toEqual({ dir: '/tmp/x', options: { backupMinSeconds: 0, backupDir: '/b' } });
    expect(() => parseLevelUrl('level:x?every=3')).toThrow(/unknown option 'every'/);
    expect(() => parseLevelUrl('level:x?keep=-1')).toThrow(/keep must be a whole number/);
  });

  it('writes a snapshot every N finished trials and when optimize returns, keeps the last K, and restores from one', async () => {
    const storage = track(await levelStorage(join(dir, 'db'), { backupEvery: 4, keep: 2, backupMinSeconds: 0 }));
    const study = await createStudy({ name: 'backed up', storage, sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(objective, { nTrials: 10 });
    const files = await storage.listBackups('backed up');
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.startsWith(join(dir, 'db', 'backups')))).toBe(true);
    // The newest is the checkpoint written when optimize returned: all ten trials.
    expect(files[1]).toMatch(/-10trials\.journal$/);
    // The older is the periodic snapshot asked for at the 8th finished trial. While an earlier
    // snapshot is still being written, requests collapse into one taken when its write starts, so
    // with fast trials it can hold the 9th as well; its name says how many finished trials it has.
    const olderFinished = Number(/-(\d+)trials\.journal$/.exec(files[0] as string)?.[1]);
    expect([8, 9]).toContain(olderFinished);

    const target = new InMemoryStorage();
    expect(await restoreStudy(files[1] as string, target)).toBe('backed up');
    const restored = await loadStudy('backed up', target);
    expect(restored.trials.map((t) => [t.state, t.params, t.values, t.intermediateValues, t.userAttrs])).toEqual(
      study.trials.map((t) => [t.state, t.params, t.values, t.intermediateValues, t.userAttrs]),
    );
    expect(restored.trials.map((t) => t.datetimeStart?.getTime())).toEqual(study.trials.map((t) => t.datetimeStart?.getTime()));
    expect(await restoreStudy(files[0] as string, target, { as: 'older' })).toBe('older');
    const older = (await loadStudy('older', target)).trials;
    expect(older.filter((t) => t.state === 'COMPLETE')).toHaveLength(olderFinished);
    expect(older.slice(0, olderFinished).map((t) => t.params)).toEqual(study.trials.slice(0, olderFinished).map((t) => t.params));
  });

  it('spaces periodic snapshots by backupMinSeconds, but always writes one when optimize returns', async () => {
    const storage = track(await levelStorage(join(dir, 'db'), { backupEvery: 2, keep: 10, backupMinSeconds: 3600 }));
    const study = await createStudy({ name: 'throttled', storage, sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize(objective, { nTrials: 9 });
    const files = await storage.listBackups('throttled');
    expect(files.map((f) => /-(\d+)trials\.journal$/.exec(f)?.[1])).toEqual(['2', '9']);
  });

  it('restores a damaged backup up to the bad line and says which line', async () => {
    const storage = track(await levelStorage(join(dir, 'db'), { keep: 1 }));
    const study = await createStudy({ name: 'fragile', storage, sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize(objective, { nTrials: 6 });
    const file = (await storage.backupNow('fragile')) as string;
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    const damaged = join(dir, 'damaged.journal');
    await writeFile(damaged, `${lines.slice(0, 5).join('\n')}\n${(lines[5] as string).slice(0, 40)}\n${lines[6]}\n`);
    const target = new InMemoryStorage();
    const error = (await restoreStudy(damaged, target).catch((e: unknown) => e)) as JournalFormatError;
    expect(error).toBeInstanceOf(JournalFormatError);
    expect(error.line).toBe(6);
    expect(error.message).toContain(`${damaged}, line 6`);
    expect((await loadStudy('fragile', target)).trials.map((t) => t.params)).toEqual(study.trials.slice(0, 4).map((t) => t.params));
  });
});
