import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/errors.js';
import { latestBackup, refuseHeadless, removeStaleBackupTemps, restoreHint } from '../../../src/storage/level/open-checks.js';

// The checks a LevelDB storage makes before LevelDB touches a directory, on real files: which
// backup a damaged store is restored from, when a directory is refused, which temporary files of
// a killed writer are removed.

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tunelab-open-checks-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, mtimeSeconds?: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  if (mtimeSeconds !== undefined) utimesSync(path, mtimeSeconds, mtimeSeconds);
  return path;
}

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

describe('latestBackup and restoreHint', () => {
  it('finds the newest .journal by modification time across the studies’ folders, and nothing else', async () => {
    const backups = join(root, 'backups');
    file(join(backups, 'study-a', '1.journal'), 1_000);
    const newest = file(join(backups, 'study-b', '2.journal'), 3_000);
    file(join(backups, 'study-a', '3.journal'), 2_000);
    // Newer, but not snapshots.
    file(join(backups, 'study-a', 'notes.txt'), 9_000);
    file(join(backups, 'study-b', '4.journal.123-0.tmp'), 9_000);
    expect(await latestBackup(backups)).toBe(newest);
    expect(await restoreHint(backups)).toBe(`the latest backup is '${newest}': restore it into a new directory with restoreStudy('${newest}', 'level:<new dir>')`);
  });

  it('of equally new snapshots, the first listed stays the answer', async () => {
    const backups = join(root, 'backups');
    file(join(backups, 's', 'a.journal'), 5_000);
    file(join(backups, 's', 'b.journal'), 5_000);
    // Listing order is the file system's: the answer is whichever it lists first.
    expect(await latestBackup(backups)).toBe(join(backups, 's', readdirSync(join(backups, 's'))[0] as string));
  });

  it('says which of “backups off” and “none found” it is', async () => {
    expect(await latestBackup(undefined)).toBeUndefined();
    expect(await restoreHint(undefined)).toBe('backups are off for this storage, so there is no backup to restore');
    const missing = join(root, 'nowhere');
    expect(await latestBackup(missing)).toBeUndefined();
    expect(await restoreHint(missing)).toBe(`no backup was found in '${missing}'`);
    file(join(root, 'empty', 's', 'x.txt'));
    expect(await restoreHint(join(root, 'empty'))).toBe(`no backup was found in '${join(root, 'empty')}'`);
  });
});

describe('refuseHeadless', () => {
  it('opens a directory with CURRENT, an empty one and one without LevelDB files', async () => {
    await expect(refuseHeadless(join(root, 'missing'), undefined)).resolves.toBeUndefined();
    file(join(root, 'a', 'CURRENT'));
    file(join(root, 'a', '000005.ldb'));
    await expect(refuseHeadless(join(root, 'a'), undefined)).resolves.toBeUndefined();
    file(join(root, 'b', 'LOCK'));
    file(join(root, 'b', 'notes.log.txt'));
    file(join(root, 'b', 'MANIFEST-x'));
    await expect(refuseHeadless(join(root, 'b'), undefined)).resolves.toBeUndefined();
  });

  it('refuses data files without CURRENT, naming at most four of them and the restore hint', async () => {
    const dir = join(root, 'store');
    for (const name of ['000003.log', '000004.ldb', '000005.sst', 'MANIFEST-000002', 'LOCK']) file(join(dir, name));
    const four = await refuseHeadless(dir, undefined).catch((e: unknown) => e);
    expect(four).toBeInstanceOf(StorageError);
    expect((four as Error).message).toContain(`the LevelDB storage at '${dir}' has data files (000003.log, 000004.ldb, 000005.sst, MANIFEST-000002) but no CURRENT file`);
    expect((four as Error).message).toContain('tunelab does not open it, because LevelDB would start an empty database there and delete those files.');
    expect((four as Error).message).toMatch(/a copy of it is worth making\) and backups are off for this storage, so there is no backup to restore$/);
    file(join(dir, '000006.ldb'));
    const backup = file(join(root, 'backups', 's', 'b.journal'));
    const five = (await refuseHeadless(dir, join(root, 'backups')).catch((e: unknown) => e)) as Error;
    expect(five.message).toContain('has data files (000003.log, 000004.ldb, 000005.sst, 000006.ldb, ...) but no CURRENT file');
    expect(five.message).toContain(`the latest backup is '${backup}'`);
  });
});

describe('removeStaleBackupTemps', () => {
  it('removes the temporary snapshots of dead writers and of no writer, keeps this process’s and a live one’s, and every other file', async () => {
    const backups = join(root, 'backups');
    const dead = deadPid();
    const stale = file(join(backups, 's', `1.journal.${dead}-0.tmp`));
    const unnamed = file(join(backups, 't', 'half-written.tmp'));
    const mine = file(join(backups, 's', `2.journal.${process.pid}-3.tmp`));
    const parent = file(join(backups, 't', `3.journal.${process.ppid}-0.tmp`));
    const snapshot = file(join(backups, 's', `4.journal`));
    const other = file(join(backups, 's', `5.journal.${dead}-0.tmp.keep`));
    await removeStaleBackupTemps(backups);
    const left = [...readdirSync(join(backups, 's')).map((n) => join(backups, 's', n)), ...readdirSync(join(backups, 't')).map((n) => join(backups, 't', n))].sort();
    expect(left).toEqual([mine, parent, snapshot, other].sort());
    expect(left).not.toContain(stale);
    expect(left).not.toContain(unnamed);
  });

  it('does nothing without a backup directory, or with one that does not exist', async () => {
    await expect(removeStaleBackupTemps(undefined)).resolves.toBeUndefined();
    await expect(removeStaleBackupTemps(join(root, 'nowhere'))).resolves.toBeUndefined();
  });
});
