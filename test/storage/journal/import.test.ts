import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, JournalFormatError, StudyExistsError } from '../../../src/errors.js';
import { Op } from '../../../src/storage/journal/format.js';
import { importJournal, restoreStudy, UNFINISHED_REASON } from '../../../src/storage/journal/import.js';
import { LevelStorage } from '../../../src/storage/level/level-storage.js';
import { InMemoryStorage } from '../../../src/storage/memory.js';
import { removeDir, tempDir } from '../level/helpers.js';

// A journal as Optuna 3.1 writes it (one op per line, its own attribute names), imported into real
// storages: what each kind of trial becomes, and what a bad file or a taken name does.

const FLOAT = JSON.stringify({ name: 'FloatDistribution', attributes: { low: 0, high: 1, log: false, step: null } });
const T0 = '2026-12-04T10:00:00.000000';
const T1 = '2026-12-04T10:00:02.000000';
const ops = (...lines: Record<string, unknown>[]): string => lines.map((l) => `${JSON.stringify({ worker_id: 'py', ...l })}\n`).join('');
const createStudy = (name: string) => ({ op_code: Op.CREATE_STUDY, study_name: name, directions: [1] });
const trial = (extra: Record<string, unknown>) => ({ op_code: Op.CREATE_TRIAL, study_id: 0, datetime_start: T0, distributions: { x: FLOAT }, params: { x: 0.5 }, ...extra });

let dir: string;
beforeAll(async () => {
  dir = await tempDir('tunelab-import-');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('importJournal', () => {
  it('turns Optuna’s trials into tunelab’s: unfinished ones fail with the reason, fail_reason and fixed_params renamed, waiting ones wait', async () => {
    const file = join(dir, 'optuna.journal');
    await writeFile(
      file,
      ops(
        createStudy('py'),
        trial({ state: 1, value: 0.25, datetime_complete: T1 }),
        trial({}), // RUNNING when the journal ends: the process that ran it is gone
        trial({ state: 3, datetime_complete: T1, system_attrs: { fail_reason: 'ValueError: x' } }),
        trial({ state: 4, datetime_start: null, params: {}, distributions: {}, system_attrs: { fixed_params: { x: 0.1 } } }),
        trial({ state: 2, datetime_complete: T1, intermediate_values: { '0': 0.9 } }),
        trial({ state: 3, datetime_complete: T1, system_attrs: { fail_reason: 'optuna', failReason: 'tunelab' } }),
      ),
    );
    const level = await LevelStorage.open(join(dir, 'level'), { backupEvery: 0 });
    try {
      expect(await importJournal(file, level)).toEqual(['py']);
      const trials = await level.getAllTrials(await level.getStudyIdByName('py'));
      expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'FAIL', 'WAITING', 'PRUNED', 'FAIL']);
      expect(trials[0]).toMatchObject({ values: [0.25], params: { x: 0.5 } });
      expect(trials[0]?.datetimeComplete?.getTime()).toBe(new Date(2026, 11, 4, 10, 0, 2).getTime());
      expect(trials[1]?.systemAttrs).toEqual({ failReason: UNFINISHED_REASON });
      expect(UNFINISHED_REASON).toBe('unfinished in journal');
      expect(trials[2]?.systemAttrs).toMatchObject({ failReason: 'ValueError: x' });
      expect(trials[3]?.systemAttrs).toMatchObject({ fixedParams: { x: 0.1 } });
      expect(trials[3]?.datetimeStart).toBeUndefined();
      expect(trials[4]).toMatchObject({ intermediateValues: { 0: 0.9 } });
      expect(trials[5]?.systemAttrs).toMatchObject({ failReason: 'tunelab' }); // tunelab's own name wins
      expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      await level.close();
    }
  });

  it('refuses a name the storage already holds, and writes nothing', async () => {
    const file = join(dir, 'taken.journal');
    await writeFile(file, ops(createStudy('other'), createStudy('taken'), trial({ study_id: 1, state: 1, value: 1 })));
    const storage = new InMemoryStorage();
    await storage.createStudy('taken', ['minimize']);
    await expect(importJournal(file, storage)).rejects.toBeInstanceOf(StudyExistsError);
    expect((await storage.listStudies()).map((s) => s.name)).toEqual(['taken']);
    expect(await importJournal(file, storage, { rename: { taken: 'renamed' } })).toEqual(['other', 'renamed']);
    expect(await storage.getAllTrials(await storage.getStudyIdByName('renamed'))).toHaveLength(1);
  });

  it('an empty line in the middle is damage: the line is named, the studies before it are kept', async () => {
    const file = join(dir, 'empty-line.journal');
    await writeFile(file, ops(createStudy('e'), trial({ state: 1, value: 1 })) + '   \n' + ops(trial({ state: 1, value: 2 })));
    const storage = new InMemoryStorage();
    const error = await importJournal(file, storage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalFormatError);
    expect((error as JournalFormatError).line).toBe(3);
    expect((error as Error).message).toMatch(/the line is empty/);
    expect(await storage.getAllTrials(await storage.getStudyIdByName('e'))).toHaveLength(1);
  });
});

describe('restoreStudy', () => {
  it('needs a study on the first line, and restores under another name with `as`', async () => {
    const garbage = join(dir, 'garbage.journal');
    await writeFile(garbage, 'not json\n');
    const first = await restoreStudy(garbage, new InMemoryStorage()).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(JournalFormatError);
    expect((first as JournalFormatError).line).toBe(1);
    expect((first as Error).message).toMatch(/the first line must create the study \(/);
    // A first line that is a valid op but creates nothing (Optuna ignores ops on unknown ids).
    for (const op of [trial({ state: 1, value: 1 }), { op_code: Op.DELETE_STUDY, study_id: 0 }]) {
      const file = join(dir, `no-study-${String(op.op_code)}.journal`);
      await writeFile(file, ops(op));
      const none = await restoreStudy(file, new InMemoryStorage()).catch((e: unknown) => e);
      expect(none).toBeInstanceOf(InvalidOptionError);
      expect((none as Error).message).toMatch(/holds no study to restore/);
    }
    const good = join(dir, 'good.journal');
    await writeFile(good, ops(createStudy('orig'), trial({ state: 1, value: 3 })));
    const storage = new InMemoryStorage();
    expect(await restoreStudy(good, storage, { as: 'copy' })).toBe('copy');
    expect((await storage.listStudies()).map((s) => s.name)).toEqual(['copy']);
  });
});
