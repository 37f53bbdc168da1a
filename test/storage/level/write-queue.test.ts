import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EarlierWriteFailed, WriteQueue } from '../../../src/storage/level/write-queue.js';

// The queue on a real LevelDB: group commit in order, idle(), and the error a change queued behind
// a failed batch gets (level-failed-write.test.ts injects the failures through the storage).

let dir: string;
let db: Level<string, string>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tunelab-write-queue-'));
  db = new Level<string, string>(dir);
  await db.open();
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WriteQueue', () => {
  it('idle() waits for every change queued so far, written and committed in the order asked', async () => {
    const queue = new WriteQueue(db, () => undefined);
    const committed: number[] = [];
    const writes = Array.from({ length: 20 }, (_, i) => queue.write([{ type: 'put', key: `k${String(i).padStart(2, '0')}`, value: String(i) }], () => committed.push(i)));
    await queue.idle();
    expect(committed).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await db.values().all()).map(Number)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await Promise.all(writes);
    // Idle with nothing queued returns at once.
    await queue.idle();
  });

  it('writes a change of several ops as one batch, deletes included', async () => {
    const queue = new WriteQueue(db, () => undefined);
    await queue.write([{ type: 'put', key: 'a', value: '1' }, { type: 'put', key: 'b', value: '2' }], () => undefined);
    await queue.write([{ type: 'del', key: 'a' }, { type: 'put', key: 'c', value: '3' }], () => undefined);
    expect(await db.keys().all()).toEqual(['b', 'c']);
  });

  it('a failed batch: its change is refused with the error, one queued behind it with EarlierWriteFailed, neither committed', async () => {
    let failures = 0;
    const queue = new WriteQueue(db, () => failures++);
    const committed: string[] = [];
    await queue.write([{ type: 'put', key: 'a', value: '1' }], () => committed.push('a'));
    await db.close(); // every batch from here fails
    const failed = queue.write([{ type: 'put', key: 'b', value: '2' }], () => committed.push('b'));
    // Queued while b's batch is in flight: prepared on top of b.
    const behind = queue.write([{ type: 'put', key: 'c', value: '3' }], () => committed.push('c'));
    const [b, c] = await Promise.allSettled([failed, behind]);
    expect(b?.status).toBe('rejected');
    expect(c?.status).toBe('rejected');
    const error = (b as PromiseRejectedResult).reason as { code?: string };
    expect(error.code).toBe('LEVEL_DATABASE_NOT_OPEN');
    const earlier = (c as PromiseRejectedResult).reason as EarlierWriteFailed;
    expect(earlier).toBeInstanceOf(EarlierWriteFailed);
    expect(earlier.cause).toBe(error);
    expect(committed).toEqual(['a']);
    expect(failures).toBe(1);
    await queue.idle();
    await db.open();
    expect(await db.keys().all()).toEqual(['a']);
  });
});

describe('EarlierWriteFailed', () => {
  it('names the earlier failure, whatever was thrown, and keeps it as the cause', () => {
    const cause = new Error('disk full');
    const e = new EarlierWriteFailed(cause);
    expect(e.name).toBe('EarlierWriteFailed');
    expect(e.message).toBe('an earlier write in the same queue failed (disk full), and this change was prepared on top of it');
    expect(e.cause).toBe(cause);
    expect(new EarlierWriteFailed('EIO').message).toContain('failed (EIO)');
    expect(new EarlierWriteFailed(undefined).message).toContain('failed (undefined)');
  });
});
