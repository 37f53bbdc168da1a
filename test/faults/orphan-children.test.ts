import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIST_ENTRY, DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14 item 12: with executor: 'process', the children must exit when their parent goes away,
// even a parent SIGKILLed with no chance to end them, and even a child stuck in a synchronous loop.

/** Whether the process is alive: a zombie (dead, not yet reaped by its new parent) counts as gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitGone(pids: readonly number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A parent running a study in two child processes; resolves with the children's pids once both run a trial. */
function startParent(objectiveBody: string): { parent: ReturnType<typeof spawn>; pids: Promise<number[]> } {
  const script = `
    import { createStudy } from ${JSON.stringify(DIST_ENTRY)};
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(async (trial) => {
      trial.suggestFloat('x', 0, 1);
      console.log('child ' + process.pid);
      ${objectiveBody}
    }, { nTrials: 100, workers: 2, executor: 'process', progress: false });`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = new Promise<number[]>((resolve, reject) => {
    const seen = new Set<number>();
    parent.stdout?.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/child (\d+)/g)) seen.add(Number(m[1]));
      if (seen.size === 2) resolve([...seen]);
    });
    parent.on('exit', () => reject(new Error('the parent exited before its children started')));
  });
  return { parent, pids };
}

describe.skipIf(requireOrSkip(DIST_PROBLEM))(`child processes of a SIGKILLed parent${(DIST_PROBLEM === undefined) ? '' : ` (skipped: ${DIST_PROBLEM})`}`, () => {
  for (const [what, body] of [
    ['waiting on a timer', 'await new Promise((r) => setTimeout(r, 60_000)); return 1;'],
    ['spinning in a synchronous loop', 'for (;;);'],
  ] as const) {
    it(`exit within a few seconds, while ${what}`, async () => {
      const { parent, pids } = startParent(body);
      let children: number[] = [];
      try {
        children = await pids;
        expect(children.every(alive)).toBe(true);
        parent.kill('SIGKILL');
        const left = await waitGone(children, 5000);
        expect(left).toEqual([]);
      } finally {
        parent.kill('SIGKILL');
        for (const pid of children) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Gone already.
          }
        }
      }
    }, 30_000);
  }
});
