import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../../errors.js';

/** Files LevelDB writes: tables, write-ahead logs, manifests. */
const LEVELDB_FILE = /^(\d+\.(ldb|sst|log)|MANIFEST-\d+)$/;

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The newest backup snapshot under a backup directory (one sub-directory per study), if any. */
export async function latestBackup(backupDir: string | undefined): Promise<string | undefined> {
  if (backupDir === undefined) return undefined;
  let best: { file: string; mtime: number } | undefined;
  for (const sub of await list(backupDir)) {
    for (const name of await list(join(backupDir, sub))) {
      if (!name.endsWith('.journal')) continue;
      const file = join(backupDir, sub, name);
      const mtime = (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
      if (!best || mtime > best.mtime) best = { file, mtime };
    }
  }
  return best?.file;
}

/** The sentence every "this directory is damaged" message ends with: where to restore from. */
export async function restoreHint(backupDir: string | undefined): Promise<string> {
  const file = await latestBackup(backupDir);
  if (file !== undefined) return `the latest backup is '${file}': restore it into a new directory with restoreStudy('${file}', 'level:<new dir>')`;
  return backupDir === undefined ? 'backups are off for this storage, so there is no backup to restore' : `no backup was found in '${backupDir}'`;
}

/**
 * LevelDB finds its data through the CURRENT file. Without it, opening with createIfMissing
 * starts an empty database and deletes the table files as obsolete: refuse instead, before
 * LevelDB touches anything.
 */
export async function refuseHeadless(directory: string, backupDir: string | undefined): Promise<void> {
  const names = await list(directory);
  if (names.includes('CURRENT')) return;
  const data = names.filter((n) => LEVELDB_FILE.test(n));
  if (data.length === 0) return;
  throw new StorageError(
    `the LevelDB storage at '${directory}' has data files (${data.slice(0, 4).join(', ')}${data.length > 4 ? ', ...' : ''}) but no CURRENT file, so LevelDB cannot find its data; ` +
      `tunelab does not open it, because LevelDB would start an empty database there and delete those files. ` +
      `Keep the directory as it is (a copy of it is worth making) and ${await restoreHint(backupDir)}`,
  );
}

/** `<file>.<pid>-<n>.tmp`, as writeFileAtomic names its temporary files. */
const TEMP = /\.(\d+)-\d+\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of backup snapshots that a killed process left behind (a snapshot
 * is written to a temporary file, then renamed). A file whose writer is still alive is kept: a
 * backup directory given by option may be shared.
 */
export async function removeStaleBackupTemps(backupDir: string | undefined): Promise<void> {
  if (backupDir === undefined) return;
  for (const sub of await list(backupDir)) {
    const dir = join(backupDir, sub);
    for (const name of await list(dir)) {
      const pid = TEMP.exec(name)?.[1];
      if (pid !== undefined && (Number(pid) === process.pid || alive(Number(pid)))) continue;
      if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
    }
  }
}
