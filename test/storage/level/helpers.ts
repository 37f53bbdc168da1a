import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LevelStorage } from '../../../src/storage/level/level-storage.js';
import type { TrialPatch } from '../../../src/storage/storage.js';

/** A fresh directory under the OS temp dir; remove it with removeDir. */
export async function tempDir(prefix = 'tunelab-level-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** What a full disk makes classic-level reject a batch with. */
export function diskFullError(): Error {
  return Object.assign(new Error('IO error: /db/000005.log: No space left on device'), { code: 'LEVEL_IO_ERROR' });
}

/**
 * Makes the next `count` batches of the storage's real database fail with `error` (a full disk by
 * default); the rest go through.
 */
export function failNextBatches(storage: LevelStorage, count = 1, error: () => unknown = diskFullError): void {
  const db = storage.db;
  const real = db.batch;
  let left = count;
  db.batch = function batch(this: typeof db, ...args: unknown[]) {
    if (left-- <= 0) {
      db.batch = real;
      return (real as (...a: unknown[]) => unknown).apply(this, args);
    }
    if (left === 0) db.batch = real;
    return Promise.reject(error());
  } as typeof db.batch;
}

const UNIT_FLOAT = { kind: 'float', low: 0, high: 1, log: false, step: null } as const;

/** The patch that completes a trial with x = value and that value as its objective. */
export function finish(value: number): TrialPatch {
  return { params: { x: { value, distribution: UNIT_FLOAT } }, state: 'COMPLETE', values: [value] };
}
