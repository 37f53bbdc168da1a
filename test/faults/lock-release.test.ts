// Issue 14, items 11 and 15: every refusal of createStudy, loadStudy, deleteStudy (and the other
// calls that open a storage from a URL) hands the LevelDB directory back, so another process can
// open it right after; and loadStudy takes createStudy's calling style, `loadStudy({ name, storage })`.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Level } from 'level';
import { InvalidOptionError, StorageError, StudyExistsError, StudyNotFoundError } from '../../src/errors.js';
import { importJournal, restoreStudy } from '../../src/storage/journal/import.js';
import '../../src/storage/level/register.js';
import { createStudy, deleteStudy, listStudies, loadStudy } from '../../src/study/create.js';
import { otherProcessOpens } from './helpers.js';
import { removeDir, tempDir } from '../storage/level/helpers.js';

describe('refused calls release the LevelDB directory (issue 14 item 11)', () => {
  let root: string;
  let dir: string;
  let url: string;
  beforeAll(async () => {
    root = await tempDir('tunelab-faults-lock-');
    dir = join(root, 'db');
    url = `level:${dir}?backupEvery=0`;
    const study = await createStudy({ name: 'kept', direction: 'minimize', storage: url });
    const trial = await study.ask();
    await study.tell(trial, trial.suggestFloat('x', 0, 1));
    await study.close();
    expect(await otherProcessOpens(dir)).toBe('opened');
  }, 30_000);
  afterAll(async () => removeDir(root));

  const refusals: readonly (readonly [string, () => Promise<unknown>, abstract new (...args: never[]) => Error])[] = [
    ['createStudy: loadIfExists with the other direction', () => createStudy({ name: 'kept', direction: 'maximize', storage: url, loadIfExists: true }), InvalidOptionError],
    ['createStudy: the name exists, no loadIfExists', () => createStudy({ name: 'kept', storage: url }), StudyExistsError],
    ['loadStudy(name, url): no such study', () => loadStudy('absent', url), StudyNotFoundError],
    ['loadStudy({ name, storage }): no such study', () => loadStudy({ name: 'absent', storage: url }), StudyNotFoundError],
    ['deleteStudy: no such study', () => deleteStudy('absent', url), StudyNotFoundError],
    ['restoreStudy: the name exists', async () => {
      const study = await loadStudy('kept', url);
      const file = await study.exportJournal(join(root, 'kept.journal'));
      await study.close();
      return restoreStudy(file, url);
    }, StudyExistsError],
    ['importJournal: the name exists', () => importJournal(join(root, 'kept.journal'), url), StudyExistsError],
  ];

  /** Runs `call` while every batch of any classic-level database fails as a full disk does. */
  async function withFailingWrites<T>(call: () => Promise<T>): Promise<T> {
    const proto = Level.prototype as unknown as { batch: unknown };
    const had = Object.hasOwn(proto, 'batch');
    const real = proto.batch;
    proto.batch = () => Promise.reject(Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }));
    try {
      return await call();
    } finally {
      if (had) proto.batch = real;
      else delete proto.batch;
    }
  }

  const failedWrites: readonly (readonly [string, () => Promise<unknown>])[] = [
    ['createStudy: the write of the new study fails', () => createStudy({ name: 'unwritten', storage: url })],
    ['deleteStudy: the delete fails', () => deleteStudy('kept', url)],
  ];

  for (const [path, call] of failedWrites) {
    it(`${path}: a StorageError, and another process opens the directory afterwards`, async () => {
      await expect(withFailingWrites(call)).rejects.toBeInstanceOf(StorageError);
      expect(await otherProcessOpens(dir)).toBe('opened');
      expect((await listStudies(url)).map((s) => s.name)).toEqual(['kept']);
    }, 30_000);
  }

  for (const [path, call, errorClass] of refusals) {
    it(`${path}: refused, and another process opens the directory afterwards`, async () => {
      await expect(call()).rejects.toBeInstanceOf(errorClass);
      expect(await otherProcessOpens(dir)).toBe('opened');
    }, 30_000);
  }

  it('listStudies and a successful deleteStudy from a URL leave the directory free too', async () => {
    const study = await createStudy({ name: 'doomed', storage: url });
    await study.close();
    expect((await listStudies(url)).map((s) => s.name).sort()).toEqual(['doomed', 'kept']);
    expect(await otherProcessOpens(dir)).toBe('opened');
    await deleteStudy('doomed', url);
    expect(await otherProcessOpens(dir)).toBe('opened');
    expect((await listStudies(url)).map((s) => s.name)).toEqual(['kept']);
  }, 30_000);

  it('a study still open in this process keeps its directory (the lock is released only by its last user)', async () => {
    const study = await loadStudy('kept', url);
    await expect(deleteStudy('absent', url)).rejects.toBeInstanceOf(StudyNotFoundError);
    expect(await otherProcessOpens(dir)).toBe('LEVEL_LOCKED');
    expect(study.trials).toHaveLength(1); // still usable
    await study.close();
    expect(await otherProcessOpens(dir)).toBe('opened');
  }, 30_000);
});

describe('loadStudy({ name, storage }) (issue 14 item 15)', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('tunelab-faults-load-');
  });
  afterAll(async () => removeDir(root));

  it('opens the study as loadStudy(name, storage) does', async () => {
    const url = `level:${join(root, 'db')}`;
    const created = await createStudy({ name: 'styled', direction: 'maximize', storage: url });
    const trial = await created.ask();
    await created.tell(trial, 3);
    await created.close();
    const loaded = await loadStudy({ name: 'styled', storage: url });
    expect(loaded.name).toBe('styled');
    expect(loaded.directions).toEqual(['maximize']);
    expect(loaded.trials.map((t) => t.value)).toEqual([3]);
    await loaded.close();
  });

  it('names what is wrong with the options object instead of looking for "[object Object]"', async () => {
    await expect(loadStudy({ name: 'styled', storage: 'memory:', direction: 'minimize' } as never)).rejects.toThrow(/unknown option 'direction'/);
    await expect(loadStudy({ storage: 'memory:' } as never)).rejects.toThrow(/loadStudy\(\{ name \}\)/);
    const error = await loadStudy({ name: 'nowhere', storage: 'memory:' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudyNotFoundError);
    expect((error as Error).message).toContain("'nowhere'");
    expect((error as Error).message).not.toContain('[object Object]');
  });
});
