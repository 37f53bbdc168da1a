// Issue 14, item 3 and its messages: a LevelDB directory that lost CURRENT is refused (not wiped);
// a corrupt table file, a bad CURRENT or MANIFEST give a StorageError that names the directory,
// LevelDB's own cause and the latest backup; backup temp files a killed process left are removed.
import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { restoreStudy } from '../../src/storage/journal/import.js';
import { LevelStorage } from '../../src/storage/level/level-storage.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import type { StudyId } from '../../src/trial/frozen-trial.js';
import { removeDir, tempDir } from '../storage/level/helpers.js';

const X = { kind: 'float', low: 0, high: 1, log: false, step: null } as const;

async function fill(storage: LevelStorage, name: string, n: number): Promise<StudyId> {
  const studyId = await storage.createStudy(name, ['minimize']);
  for (let i = 0; i < n; i++) {
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    await storage.updateTrial(t.trialId, { params: { x: { value: i / n, distribution: X } }, userAttrs: { pad: 'x'.repeat(500) }, state: 'COMPLETE', values: [i] });
  }
  return studyId;
}

async function refusal(dir: string): Promise<StorageError> {
  const error = await LevelStorage.open(dir).then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  if (process.env['SHOW_MESSAGES']) console.log((error as Error).message);
  return error as StorageError;
}

describe('a damaged LevelDB directory (issue 14 item 3 and messages)', () => {
  let dir: string;
  let backup: string;
  beforeEach(async () => {
    dir = await tempDir('tunelab-faults-damaged-');
    // Written, closed and reopened twice: LevelDB then holds the trials in table files (.ldb).
    let storage = await LevelStorage.open(dir, { backupEvery: 0 });
    await fill(storage, 'kept', 40);
    backup = (await storage.backupNow('kept')) as string;
    await storage.close();
    storage = await LevelStorage.open(dir, { backupEvery: 0 });
    await storage.close();
  });
  afterEach(async () => removeDir(dir));

  it('no CURRENT file: refused with the directory and the latest backup named, and every data file left in place', async () => {
    const files = (await readdir(dir)).filter((f) => /\.(ldb|log)$|^MANIFEST-/.test(f)).sort();
    expect(files.some((f) => f.endsWith('.ldb'))).toBe(true);
    const current = await readFile(join(dir, 'CURRENT'));
    await rm(join(dir, 'CURRENT'));

    const error = await refusal(dir);
    expect(error.message).toContain(`'${dir}'`);
    expect(error.message).toContain('no CURRENT file');
    expect(error.message).toContain(backup);
    expect((await readdir(dir)).filter((f) => files.includes(f)).sort()).toEqual(files);

    // The refusal kept the data: with CURRENT back, everything is there; the backup restores too.
    await writeFile(join(dir, 'CURRENT'), current);
    const storage = await LevelStorage.open(dir, { backupEvery: 0 });
    expect(await storage.getAllTrials(await storage.getStudyIdByName('kept'))).toHaveLength(40);
    await storage.close();
    const target = new InMemoryStorage();
    await restoreStudy(backup, target);
    expect(await target.getAllTrials(await target.getStudyIdByName('kept'))).toHaveLength(40);
  });

  it('a corrupt table file: a StorageError naming the directory, the corruption and the latest backup (not a raw LEVEL_CORRUPTION)', async () => {
    const table = (await readdir(dir)).find((f) => f.endsWith('.ldb')) as string;
    const bytes = await readFile(join(dir, table));
    for (let i = 0; i < bytes.length; i += 7) bytes[i] = (bytes[i] as number) ^ 0x5a;
    await writeFile(join(dir, table), bytes);
    const error = await refusal(dir);
    expect(error.message).toContain(`'${dir}'`);
    expect(error.message).toMatch(/corrupt/i);
    expect(error.message).toContain(backup);
  });

  it("a bad CURRENT: LevelDB's cause stays in the message", async () => {
    await writeFile(join(dir, 'CURRENT'), 'MANIFEST-000999');
    const error = await refusal(dir);
    expect(error.message).toContain(`'${dir}'`);
    expect(error.message).toMatch(/CURRENT file does not end with newline/);
    expect(error.message).toContain(backup);
  });

  it("a damaged MANIFEST: LevelDB's cause stays in the message", async () => {
    const manifest = (await readdir(dir)).find((f) => f.startsWith('MANIFEST-')) as string;
    await writeFile(join(dir, manifest), Buffer.alloc(100, 0x41));
    const error = await refusal(dir);
    expect(error.message).toContain(`'${dir}'`);
    expect(error.message).toMatch(/Corruption|corrupt|checksum|MANIFEST/);
    expect(error.message).not.toMatch(/: Database failed to open$/);
    expect(error.message).toContain(backup);
  });

  it('backup temp files left by a killed process are removed on open; one of a live process stays', async () => {
    const studyDir = join(dir, 'backups', (await readdir(join(dir, 'backups')))[0] as string);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = join(studyDir, `20260101T000000000Z-000001-40trials.journal.${dead}-0.tmp`);
    const live = join(studyDir, `20260101T000000000Z-000002-40trials.journal.${process.ppid}-0.tmp`);
    await writeFile(stale, 'half a snapshot');
    await writeFile(live, 'being written');
    const storage = await LevelStorage.open(dir, { backupEvery: 0 });
    const left = await readdir(studyDir);
    expect(left).not.toContain(stale.slice(studyDir.length + 1));
    expect(left).toContain(live.slice(studyDir.length + 1));
    await storage.close();
  });
});
