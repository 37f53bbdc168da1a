// Issue 14, item 2: one failed LevelDB write (a full disk, an I/O error) must reject that call
// with a StorageError, show nothing of it in memory, and leave the directory consistent and
// reopenable — on every write path of the LevelDB storage. Two kinds of real failure: a batch of
// the real classic-level database made to fail, and a real full disk (a small tmpfs, as root).
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { LevelStorage } from '../../src/storage/level/level-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import type { FrozenTrial, StudyId } from '../../src/trial/frozen-trial.js';
import { failNextBatches, finish, removeDir, tempDir } from '../storage/level/helpers.js';
import { requireOrSkip } from '../helpers/require.js';


/** Everything a reader can see, with trials left RUNNING shown as the FAIL a reopen makes of them. */
async function visible(storage: Storage): Promise<unknown> {
  const studies = [...(await storage.listStudies())].sort((a, b) => a.studyId - b.studyId);
  const out = [];
  for (const s of studies) {
    const trials = (await storage.getAllTrials(s.studyId)).map((t: FrozenTrial) => ({
      id: t.trialId,
      number: t.number,
      state: t.state === 'RUNNING' ? 'FAIL' : t.state,
      values: t.values,
      params: t.params,
      userAttrs: t.userAttrs,
    }));
    out.push({ id: s.studyId, name: s.name, userAttrs: s.userAttrs, systemAttrs: await storage.getStudySystemAttrs(s.studyId), trials });
  }
  return out;
}

describe('a failed LevelDB write changes nothing (issue 14 item 2): injected batch failures', () => {
  let dir: string;
  let storage: LevelStorage;
  let studyId: StudyId;

  beforeEach(async () => {
    dir = await tempDir('tunelab-faults-write-');
    storage = await LevelStorage.open(dir, { keep: 0 });
    studyId = await storage.createStudy('s', ['minimize']);
    for (let i = 0; i < 3; i++) {
      const t = await storage.createTrial(studyId, { state: 'RUNNING' });
      await storage.updateTrial(t.trialId, finish(i / 10));
    }
    await storage.createTrial(studyId, { state: 'WAITING', systemAttrs: { fixedParams: { x: 0.5 } } });
  });
  afterEach(async () => {
    await storage.close();
    await removeDir(dir);
  });

  /** The call fails with a StorageError, memory is as before, and a reopen shows the same. */
  async function expectRefusedWithoutTrace(call: () => Promise<unknown>): Promise<void> {
    const before = await visible(storage);
    failNextBatches(storage);
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain('No space left on device');
    expect(await visible(storage)).toEqual(before);
    await storage.close();
    storage = await LevelStorage.open(dir, { keep: 0 });
    expect(await visible(storage)).toEqual(before);
  }

  it('createTrial: no number taken, the next trial gets it, the directory reopens', async () => {
    await expectRefusedWithoutTrace(() => storage.createTrial(studyId, { state: 'RUNNING' }));
    const next = await storage.createTrial(studyId, { state: 'RUNNING' });
    expect(next.number).toBe(4);
    await storage.updateTrial(next.trialId, finish(0.9));
    await storage.close();
    storage = await LevelStorage.open(dir, { keep: 0 });
    expect((await storage.getAllTrials(studyId)).map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
  });

  it('createTrial in parallel: the failed batch and every change queued behind it are refused, none leaves a gap', async () => {
    const before = await visible(storage);
    failNextBatches(storage);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => storage.createTrial(studyId, { state: 'RUNNING' })));
    // The first batch fails; the others were numbered on top of it, so they are refused too.
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof StorageError)).toBe(true);
    expect(await visible(storage)).toEqual(before);
    const later = await Promise.all(Array.from({ length: 3 }, () => storage.createTrial(studyId, { state: 'RUNNING' })));
    expect(later.map((t) => t.number)).toEqual([4, 5, 6]);
    await storage.close();
    storage = await LevelStorage.open(dir, { keep: 0 });
    expect((await storage.getAllTrials(studyId)).map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('updateTrial: the trial keeps its state and values; the same tell succeeds afterwards', async () => {
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    await expectRefusedWithoutTrace(() => storage.updateTrial(t.trialId, finish(0.7)));
    // The reopen failed the RUNNING trial ("process died"); a new one takes the tell.
    const u = await storage.createTrial(studyId, { state: 'RUNNING' });
    await storage.updateTrial(u.trialId, { intermediateValues: { 0: 1 } });
    failNextBatches(storage);
    await expect(storage.updateTrial(u.trialId, finish(0.7))).rejects.toBeInstanceOf(StorageError);
    expect((await storage.getTrial(u.trialId)).state).toBe('RUNNING');
    expect((await storage.getTrial(u.trialId)).intermediateValues).toEqual({ 0: 1 });
    await storage.updateTrial(u.trialId, finish(0.7));
    expect((await storage.getTrial(u.trialId)).values).toEqual([0.7]);
  });

  it('changes of one trial in flight when a write fails: all refused, and the changes after build on what is on disk', async () => {
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    await storage.updateTrial(t.trialId, { userAttrs: { kept: 0 } });
    failNextBatches(storage);
    const inFlight = [1, 2, 3].map((i) => storage.updateTrial(t.trialId, { userAttrs: { [`lost${i}`]: i } }));
    // Made while the failing batch is being written: prepared on top of it, so refused with it.
    const late = storage.updateTrial(t.trialId, { intermediateValues: { 0: 1 } });
    for (const r of await Promise.allSettled([...inFlight, late])) expect(r.status).toBe('rejected');
    await Promise.all([storage.updateTrial(t.trialId, { userAttrs: { after: 1 } }), storage.updateTrial(t.trialId, { userAttrs: { after2: 2 } })]);
    await storage.updateTrial(t.trialId, finish(0.3));
    const expected = { userAttrs: { kept: 0, after: 1, after2: 2 }, intermediateValues: {}, values: [0.3] };
    const pick = (x: FrozenTrial): unknown => ({ userAttrs: x.userAttrs, intermediateValues: x.intermediateValues, values: x.values });
    expect(pick(await storage.getTrial(t.trialId))).toEqual(expected);
    await storage.close();
    storage = await LevelStorage.open(dir, { keep: 0 });
    expect(pick(await storage.getTrial(t.trialId))).toEqual(expected);
  });

  it('claimWaitingTrial: the enqueued trial stays WAITING and is claimed by the next call', async () => {
    await expectRefusedWithoutTrace(() => storage.claimWaitingTrial(studyId));
    const claimed = await storage.claimWaitingTrial(studyId);
    expect(claimed?.number).toBe(3);
    expect(claimed?.state).toBe('RUNNING');
  });

  it('setStudyUserAttr and setStudySystemAttr: the attribute keeps its old value', async () => {
    await storage.setStudyUserAttr(studyId, 'a', 1);
    await expectRefusedWithoutTrace(() => storage.setStudyUserAttr(studyId, 'a', 2));
    await expectRefusedWithoutTrace(() => storage.setStudySystemAttr(studyId, 'b', 'x'));
    expect(await storage.getStudyUserAttrs(studyId)).toEqual({ a: 1 });
  });

  it('createStudy: the name stays free and no study id is used up', async () => {
    await expectRefusedWithoutTrace(() => storage.createStudy('other', ['maximize']));
    expect(await storage.createStudy('other', ['maximize'])).toBe(1);
  });

  it('deleteStudy: the study and its trials stay', async () => {
    await expectRefusedWithoutTrace(() => storage.deleteStudy(studyId));
    await storage.deleteStudy(studyId);
    expect(await storage.listStudies()).toEqual([]);
  });
});

/** Whether this process may mount a tmpfs (root in a container that allows it). */
function tmpfsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = `/tmp/tunelab-tmpfs-probe-${process.pid}`;
  spawnSync('mkdir', ['-p', probe]);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `cannot mount a tmpfs here: ${r.stderr.trim()}`;
  spawnSync('umount', [probe]);
  spawnSync('rmdir', [probe]);
  return undefined;
}

const noTmpfs = tmpfsUnavailable();
if (noTmpfs) console.warn(`skipping the full-disk test: ${noTmpfs}`);

describe.skipIf(requireOrSkip(noTmpfs))('a real full disk (a 2 MB tmpfs) (issue 14 item 2)', () => {
  let mountPoint: string;
  beforeAll(async () => {
    mountPoint = await tempDir('tunelab-faults-tmpfs-');
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(async () => {
    spawnSync('umount', ['-l', mountPoint]); // lazy: a storage a failed assertion left open must not keep the mount
    await removeDir(mountPoint);
  });

  it('writes refused while the disk is full change nothing; after space is freed the directory reopens with every acknowledged trial', async () => {
    const dir = join(mountPoint, 'db');
    await mkdir(dir);
    let storage = await LevelStorage.open(dir, { keep: 0 });
    const studyId = await storage.createStudy('full', ['minimize']);
    const acknowledged: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await storage.createTrial(studyId, { state: 'RUNNING' });
      await storage.updateTrial(t.trialId, { ...finish(i), userAttrs: { pad: 'p'.repeat(200) } });
      acknowledged.push(t.number);
    }
    const running = await storage.createTrial(studyId, { state: 'RUNNING' });
    acknowledged.push(running.number);

    // Fill the disk to the last byte.
    const filler = join(mountPoint, 'filler');
    let size = 4 * 1024 * 1024;
    let filled = 0;
    while (size >= 1) {
      try {
        await writeFile(`${filler}-${filled}`, Buffer.alloc(size));
        filled++;
      } catch {
        await rm(`${filler}-${filled}`, { force: true });
        size = Math.floor(size / 2);
      }
    }
    const before = await visible(storage);
    const refused = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => storage.createTrial(studyId, { state: 'RUNNING', userAttrs: { pad: 'q'.repeat(4000) } })),
      storage.updateTrial(running.trialId, { ...finish(9), userAttrs: { pad: 'r'.repeat(4000) } }),
      storage.setStudyUserAttr(studyId, 'big', 's'.repeat(4000)),
      storage.createStudy('another', ['maximize']),
    ]);
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
    }
    expect(((refused[0] as PromiseRejectedResult).reason as Error).message).toMatch(/No space left on device|ENOSPC/i);
    expect(await visible(storage)).toEqual(before);
    await storage.close().catch(() => undefined);

    // Free the space: the directory opens with every acknowledged trial, numbered without a gap.
    for (let i = 0; i < filled; i++) await rm(`${filler}-${i}`, { force: true });
    storage = await LevelStorage.open(dir, { keep: 0 });
    const trials = await storage.getAllTrials(studyId);
    expect(trials.map((t) => t.number)).toEqual(acknowledged);
    expect(trials.filter((t) => t.state === 'COMPLETE').map((t) => t.values)).toEqual([[0], [1], [2], [3], [4]]);
    const next = await storage.createTrial(studyId, { state: 'RUNNING' });
    expect(next.number).toBe(acknowledged.length);
    await storage.close();
  }, 60_000);
});
