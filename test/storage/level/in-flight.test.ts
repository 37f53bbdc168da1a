// The LevelDB storage's bookkeeping of changes in flight, on a real database: what a call sees while
// another's write is pending, what a failed write leaves for the calls after it in the same process
// (the fault tests reopen the directory, which rebuilds everything from disk and so hides this), and
// the errors of a closed storage, a deleted study, an unknown trial and a failed LevelDB batch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError, TrialNotFoundError } from '../../../src/errors.js';
import { LevelStorage } from '../../../src/storage/level/level-storage.js';
import type { StudyId, TrialId } from '../../../src/trial/frozen-trial.js';
import { failNextBatches, finish, removeDir, tempDir } from './helpers.js';


let dir: string;
let storage: LevelStorage;
let studyId: StudyId;

beforeEach(async () => {
  dir = await tempDir('tunelab-level-inflight-');
  storage = await LevelStorage.open(dir, { keep: 0 });
  studyId = await storage.createStudy('s', ['minimize']);
});
afterEach(async () => {
  await storage.close();
  await removeDir(dir);
});

async function reopen(): Promise<void> {
  await storage.close();
  storage = await LevelStorage.open(dir, { keep: 0 });
}

/** Three finished trials (0–2) and one enqueued, WAITING (3); returns the enqueued trial's id. */
async function withEnqueued(): Promise<TrialId> {
  for (let i = 0; i < 3; i++) {
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    await storage.updateTrial(t.trialId, finish(i / 10));
  }
  return (await storage.createTrial(studyId, { state: 'WAITING', systemAttrs: { fixedParams: { x: 0.5 } } })).trialId;
}

describe('LevelStorage: changes made while others are in flight', () => {
  it('study attributes set in parallel all land, user and system ones together, in memory and on disk', async () => {
    await storage.setStudySystemAttr(studyId, 'sys0', 0);
    await Promise.all([storage.setStudyUserAttr(studyId, 'a', 1), storage.setStudySystemAttr(studyId, 'sys1', [1]), storage.setStudyUserAttr(studyId, 'b', { n: 2 })]);
    // A later user attribute keeps the system ones (each change copies the whole study record).
    await storage.setStudyUserAttr(studyId, 'c', 3);
    const expected = [{ a: 1, b: { n: 2 }, c: 3 }, { sys0: 0, sys1: [1] }];
    expect([await storage.getStudyUserAttrs(studyId), await storage.getStudySystemAttrs(studyId)]).toEqual(expected);
    await reopen();
    expect([await storage.getStudyUserAttrs(studyId), await storage.getStudySystemAttrs(studyId)]).toEqual(expected);
  });

  it('an enqueued trial being started by updateTrial is not claimed: a claim or a start made meanwhile takes a new trial', async () => {
    const waiting = await withEnqueued();
    const starting = storage.updateTrial(waiting, { state: 'RUNNING' });
    const claimed = storage.claimWaitingTrial(studyId);
    const started = storage.startTrialWithin(studyId, { total: 10, states: ['RUNNING', 'COMPLETE'] });
    await starting;
    expect(await claimed).toBeUndefined();
    expect((await started)?.number).toBe(4);
    // Started and written: still on the waiting list in memory, and still not claimed.
    expect(await storage.claimWaitingTrial(studyId)).toBeUndefined();
    expect((await storage.getTrial(waiting)).state).toBe('RUNNING');
  });

  it('a limited start counts an enqueued trial being started as RUNNING, so parallel starts never overshoot', async () => {
    const waiting = await withEnqueued();
    const starting = storage.updateTrial(waiting, { state: 'RUNNING' });
    const limit = { total: 5, states: ['RUNNING', 'COMPLETE'] as const };
    const starts = await Promise.all([storage.startTrialWithin(studyId, limit), storage.startTrialWithin(studyId, limit), storage.startTrialWithin(studyId, limit)]);
    await starting;
    expect(starts.map((t) => t?.number)).toEqual([4, undefined, undefined]);
  });

  it('a patch is copied: changing the caller’s objects afterwards changes nothing stored', async () => {
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    const list = [1];
    const attrs: Record<string, number[]> = { list };
    await storage.updateTrial(t.trialId, { userAttrs: attrs, systemAttrs: { s: list } });
    list.push(2);
    attrs['added'] = [3];
    const stored = await storage.getTrial(t.trialId);
    expect([stored.userAttrs, stored.systemAttrs]).toEqual([{ list: [1] }, { s: [1] }]);
  });

  it('listStudies hands out copies, and a study without trials has no start time', async () => {
    const listed = await storage.listStudies();
    (listed[0]?.directions as string[]).push('maximize');
    const again = await storage.listStudies();
    expect(again.map((s) => [s.name, s.directions, s.datetimeStart])).toEqual([['s', ['minimize'], undefined]]);
    await storage.createTrial(studyId, { state: 'RUNNING', datetimeStart: new Date(1_000) });
    expect((await storage.listStudies())[0]?.datetimeStart).toEqual(new Date(1_000));
  });

  it('deleting a study removes the trial being created with it: no key of it is left on disk', async () => {
    await storage.createTrial(studyId, { state: 'RUNNING' });
    const creating = storage.createTrial(studyId, { state: 'RUNNING' });
    const deleting = storage.deleteStudy(studyId);
    // While the deletion is in flight the study is gone for new changes.
    await expect(storage.setStudyUserAttr(studyId, 'a', 1)).rejects.toThrow(/study id 0 does not exist in level:.*\(was it deleted\?\)/);
    await Promise.all([creating, deleting]);
    expect(await storage.db.keys().all()).toEqual(['m']);
    await reopen();
    expect(await storage.listStudies()).toEqual([]);
  });
});

describe('LevelStorage: what a failed write leaves for the next call in the same process', () => {
  it('a claim refused by a failed write leaves the trial WAITING, and the next claim takes it', async () => {
    await withEnqueued();
    failNextBatches(storage);
    await expect(storage.claimWaitingTrial(studyId)).rejects.toBeInstanceOf(StorageError);
    const claimed = await storage.claimWaitingTrial(studyId);
    expect([claimed?.number, claimed?.state]).toEqual([3, 'RUNNING']);
    // Only the enqueued trial is waiting: another claim finds nothing.
    expect(await storage.claimWaitingTrial(studyId)).toBeUndefined();
  });

  it('a limited start after a failed claim takes the enqueued trial, not a new one', async () => {
    await withEnqueued();
    failNextBatches(storage);
    await expect(storage.startTrialWithin(studyId, { total: 10, states: ['RUNNING'] })).rejects.toBeInstanceOf(StorageError);
    expect((await storage.startTrialWithin(studyId, { total: 10, states: ['RUNNING'] }))?.number).toBe(3);
  });

  it('trial ids stay unique when a write fails after trials were created in parallel', async () => {
    const first = await Promise.all([storage.createTrial(studyId, { state: 'RUNNING' }), storage.createTrial(studyId, { state: 'RUNNING' }), storage.createTrial(studyId, { state: 'RUNNING' })]);
    failNextBatches(storage);
    await expect(storage.setStudyUserAttr(studyId, 'a', 1)).rejects.toBeInstanceOf(StorageError);
    const next = await storage.createTrial(studyId, { state: 'RUNNING' });
    const ids = [...first, next].map((t) => t.trialId);
    expect(new Set(ids).size).toBe(4);
    await storage.updateTrial(first[2]!.trialId, finish(0.5));
    expect((await storage.getTrial(first[2]!.trialId)).values).toEqual([0.5]);
    await reopen();
    expect((await storage.getAllTrials(studyId)).map((t) => t.trialId)).toEqual(ids);
  });
});

describe('LevelStorage: errors a user can act on', () => {
  /** The StorageError a change gets when its batch fails with `error`. */
  async function writeFailure(error: unknown): Promise<StorageError> {
    failNextBatches(storage, 1, () => error);
    const failure = await storage.setStudyUserAttr(studyId, 'a', 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).cause).toBe(error);
    return failure as StorageError;
  }
  const prefix = (): string => `writing to the LevelDB storage at '${dir}' failed, and the change was not made: `;

  it('a failed batch names the directory, the message and the LevelDB code, once', async () => {
    const coded = Object.assign(new Error('IO error: disk'), { code: 'LEVEL_IO_ERROR' });
    expect((await writeFailure(coded)).message).toBe(`${prefix()}IO error: disk (LEVEL_IO_ERROR)`);
    const named = Object.assign(new Error('LEVEL_IO_ERROR: disk'), { code: 'LEVEL_IO_ERROR' });
    expect((await writeFailure(named)).message).toBe(`${prefix()}LEVEL_IO_ERROR: disk`);
    const numeric = Object.assign(new Error('disk'), { code: 5 });
    expect((await writeFailure(numeric)).message).toBe(`${prefix()}disk`);
  });

  it('a wrapped LevelDB error shows its causes, each once, at most four deep', async () => {
    const inner = Object.assign(new Error('Corruption: bad block in 000005.ldb'), { code: 'LEVEL_CORRUPTION' });
    const outer = new Error('Batch failed', { cause: inner });
    expect((await writeFailure(outer)).message).toBe(`${prefix()}Batch failed: Corruption: bad block in 000005.ldb (LEVEL_CORRUPTION)`);
    // A cause repeating its wrapper's words is not printed twice.
    const repeated = new Error('write failed: disk full', { cause: new Error('disk full') });
    expect((await writeFailure(repeated)).message).toBe(`${prefix()}write failed: disk full`);
    let chain: Error = new Error('e6');
    for (let i = 5; i >= 1; i--) chain = new Error(`e${i}`, { cause: chain });
    expect((await writeFailure(chain)).message).toBe(`${prefix()}e1: e2: e3: e4`);
  });

  it('something thrown that is not an Error is shown as it is', async () => {
    expect((await writeFailure('disk on fire')).message).toBe(`${prefix()}disk on fire`);
  });

  it('an unknown trial id is a TrialNotFoundError naming the id and the storage', async () => {
    await expect(storage.getTrial(99 as TrialId)).rejects.toThrow(TrialNotFoundError);
    await expect(storage.getTrial(99 as TrialId)).rejects.toThrow(`no trial with id 99 in level:${dir}`);
    await expect(storage.updateTrial(98 as TrialId, finish(1))).rejects.toThrow(`no trial with id 98 in level:${dir}`);
  });

  it('a deleted study is refused by name of its id, for reads and writes', async () => {
    await storage.deleteStudy(studyId);
    for (const call of [() => storage.getStudyName(studyId), () => storage.createTrial(studyId, { state: 'RUNNING' }), () => storage.setStudySystemAttr(studyId, 'k', 1)]) {
      await expect(call()).rejects.toThrow(new StorageError(`study id 0 does not exist in level:${dir} (was it deleted?)`));
    }
  });

  it('a closed storage refuses every change and says how to open it again; closing twice is harmless', async () => {
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    await storage.close();
    await storage.close();
    const reopenHint = `the LevelDB storage at '${dir}' is closed; open it again with resolveStorage('level:${dir}') or loadStudy(name, 'level:<dir>')`;
    for (const call of [
      () => storage.createStudy('other', ['minimize']),
      () => storage.createTrial(studyId, { state: 'RUNNING' }),
      () => storage.updateTrial(t.trialId, finish(0.1)),
      () => storage.setStudyUserAttr(studyId, 'a', 1),
      () => storage.claimWaitingTrial(studyId),
      () => storage.deleteStudy(studyId),
    ]) {
      await expect(call()).rejects.toThrow(new StorageError(reopenHint));
    }
    storage = await LevelStorage.open(dir, { keep: 0 });
    expect((await storage.getAllTrials(studyId)).map((x) => [x.number, x.state])).toEqual([[0, 'FAIL']]);
  });

  it('with backups off, backupNow writes nothing and listBackups is empty', async () => {
    await storage.createTrial(studyId, { state: 'RUNNING' });
    expect(storage.backupOptions).toBeUndefined();
    expect(await storage.backupNow('s')).toBeUndefined();
    expect(await storage.listBackups('s')).toEqual([]);
    await storage.checkpoint(studyId);
    await storage.checkpoint(42 as StudyId);
  });
});
