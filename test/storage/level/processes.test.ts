// Crash safety and the directory lock, with real child processes. The children import the built
// package, so beforeAll runs `npx tsup` when dist/ is missing or older than src/ (`npm test`
// builds first anyway, through its pretest script).
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importJournal } from '../../../src/storage/journal/import.js';
import { LevelStorage, PROCESS_DIED } from '../../../src/storage/level/level-storage.js';
import { InMemoryStorage } from '../../../src/storage/memory.js';
import { removeDir, tempDir } from './helpers.js';

const root = resolve(import.meta.dirname, '../../..');
const dist = join(root, 'dist', 'index.js');
const script = join(import.meta.dirname, 'child-study.mjs');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function distIsStale(): boolean {
  try {
    return statSync(dist).mtimeMs < newestMtime(join(root, 'src'));
  } catch {
    return true;
  }
}

interface Row {
  tag: string;
  number: number;
  state: string;
  values: number[] | null;
  params: Record<string, unknown>;
  iv: Record<string, number>;
  ua: Record<string, unknown>;
  sa: Record<string, unknown>;
}

interface Child {
  readonly rows: Row[];
  readonly lines: string[];
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  kill(): void;
  /** Resolves once `predicate` holds for the lines read so far. */
  until(predicate: (lines: string[]) => boolean): Promise<void>;
}

function run(dir: string, mode: string): Child {
  const proc = spawn(process.execPath, [script, pathToFileURL(dist).href, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const rows: Row[] = [];
  let err = '';
  let buffer = '';
  const waiters: (() => void)[] = [];
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (line.startsWith('{"tag"')) rows.push(JSON.parse(line) as Row);
    }
    for (const w of waiters.splice(0)) w();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  // 'close', not 'exit': it comes after stdout is drained, so every line the child wrote is read.
  const exited = new Promise<number | null>((res) => proc.on('close', (code) => res(code)));
  return {
    rows,
    lines,
    stderr: () => err,
    exited,
    kill: () => proc.kill('SIGKILL'),
    until: async (predicate) => {
      while (!predicate(lines)) {
        const more = new Promise<void>((res) => waiters.push(res));
        const ended = exited.then(() => {
          throw new Error(`child '${mode}' exited before the expected output; stderr: ${err}`);
        });
        await Promise.race([more, ended]);
      }
    },
  };
}

const comparable = (r: Row) => [r.number, r.state, r.values, r.params, r.iv, r.ua];

describe('LevelDB across processes', () => {
  let dir: string;
  beforeAll(() => {
    if (distIsStale()) execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore' });
  }, 300_000);
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => removeDir(dir));

  it('SIGKILL mid-trial: finished trials survive, the running one becomes FAIL "process died", retryFailed re-runs its params, and the seeded sampler continues as if never interrupted', async () => {
    const db = join(dir, 'db');
    const hang = run(db, 'hang');
    await hang.until((lines) => lines.includes('hang'));
    hang.kill();
    await hang.exited;
    const finished = hang.rows.filter((r) => r.tag === 'done');
    expect(finished.map((r) => r.number)).toEqual([0, 1, 2, 3, 4, 5]);

    // Opening the directory again fails the trial the dead process left RUNNING.
    const storage = await LevelStorage.open(db, { keep: 0 });
    const studyId = await storage.getStudyIdByName('crash');
    const stored = await storage.getAllTrials(studyId);
    expect(stored.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL']);
    for (const r of finished) {
      const t = stored[r.number];
      expect([t?.number, t?.state, t?.values, t?.params, t?.intermediateValues, t?.userAttrs]).toEqual(comparable(r));
    }
    const died = stored[6];
    expect(died?.systemAttrs['failReason']).toBe(PROCESS_DIED);
    // Its params were written when the objective first awaited, so they can be retried.
    expect(Object.keys(died?.params ?? {}).sort()).toEqual(['lr', 'n', 'opt', 'q', 'x']);
    await storage.close();

    const resumed = run(db, 'resume');
    expect(await resumed.exited).toBe(0);
    const after = resumed.rows.filter((r) => r.tag === 'final');
    const reference = run(join(dir, 'reference'), 'reference');
    expect(await reference.exited).toBe(0);
    const uninterrupted = reference.rows.filter((r) => r.tag === 'final');

    expect(after.map((r) => r.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    const retry = after[7] as Row;
    expect(retry.sa['retryOf']).toBe(6);
    expect(retry.params).toEqual(died?.params);
    // Same seed, same trial numbers → the same params as a run that was never killed.
    for (const n of [0, 1, 2, 3, 4, 5, 8, 9, 10]) expect(after[n]?.params).toEqual(uninterrupted[n]?.params);
    expect(retry.params).toEqual(uninterrupted[6]?.params);
    expect(retry.values).toEqual(uninterrupted[6]?.values);
  });

  it('SIGKILL at an arbitrary moment of a fast study loses no trial that had finished, and leaves only whole backups', async () => {
    const db = join(dir, 'db');
    const fast = run(db, 'fast');
    await fast.until((lines) => lines.length >= 400);
    fast.kill();
    await fast.exited;
    const reported = fast.rows.filter((r) => r.tag === 'done');
    expect(reported.length).toBeGreaterThanOrEqual(400);

    const storage = await LevelStorage.open(db, { keep: 0 });
    const trials = await storage.getAllTrials(await storage.getStudyIdByName('crash'));
    expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
    for (const r of reported) {
      const t = trials[r.number];
      expect(t?.state).toBe('COMPLETE');
      expect(t?.values).toEqual(r.values);
      expect(t?.params).toEqual(r.params);
    }
    // Past the last reported trial there is at most the one in flight, finished or failed on opening.
    const extra = trials.slice(reported.length);
    expect(extra.length).toBeLessThanOrEqual(2);
    for (const t of extra) expect(t.state === 'COMPLETE' || t.systemAttrs['failReason'] === PROCESS_DIED).toBe(true);
    await storage.close();

    // Every backup file present is complete: written to a temporary name, then renamed.
    const studyDirs = await readdir(join(db, 'backups'));
    const files = (await readdir(join(db, 'backups', studyDirs[0] as string))).filter((f) => f.endsWith('.journal'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(3);
    for (const f of files) {
      const path = join(db, 'backups', studyDirs[0] as string, f);
      const target = new InMemoryStorage();
      await importJournal(path, target);
      const nTrials = Number(/-(\d+)trials\.journal$/.exec(f)?.[1]);
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(nTrials + 1);
    }
  });

  it('a second process opening the same directory gets StorageLockedError naming it, not a stack trace', async () => {
    const db = join(dir, 'db');
    const holder = await LevelStorage.open(db);
    try {
      const child = run(db, 'lock');
      expect(await child.exited).toBe(0);
      const answer = JSON.parse(child.lines[0] as string) as { name: string; code: string; message: string };
      expect(answer.name).toBe('StorageLockedError');
      expect(answer.code).toBe('STORAGE_LOCKED');
      expect(answer.message).toContain(db);
      expect(answer.message).toContain('another process');
      expect(child.stderr()).toBe('');
    } finally {
      await holder.close();
    }
  });
});
