import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/index.js';
import { DIST_ENTRY, DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14 item 7: a synchronous objective in this thread must leave the event loop a turn at
// least every ~10 ms, so timers run: AbortSignal.timeout, study.stop() from a timer, Ctrl-C.
// Every run has `timeout: 8` as a safety net (it is checked between trials, without timers):
// a loop that never yields ends after 8 s instead of hanging, and the test fails on the time.

const busy = (trial: { suggestFloat(n: string, l: number, h: number): number }): number => {
  const x = trial.suggestFloat('x', -1, 1);
  let s = 0;
  for (let i = 0; i < 200; i++) s += Math.sin(x + i);
  return s;
};

describe('a synchronous objective in this thread', () => {
  it('ends when AbortSignal.timeout fires', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const started = Date.now();
    await study.optimize(busy, { signal: AbortSignal.timeout(300), timeout: 8 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(study.trials.length).toBeGreaterThan(10);
    expect(study.trials.some((t) => t.state === 'RUNNING')).toBe(false);
  });

  it('ends when study.stop() is called from a timer, and timers run during the run', async () => {
    const study = await createStudy({ storage: 'memory:' });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    setTimeout(() => study.stop(), 300);
    const started = Date.now();
    try {
      await study.optimize(busy, { timeout: 8 });
    } finally {
      clearInterval(ticker);
    }
    expect(Date.now() - started).toBeLessThan(3000);
    // A 20 ms interval ran about as often as it should have while the loop ran.
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))(`lets a kernel's Ctrl-C (SIGINT) handler run: the run stops, no trial stays RUNNING${(DIST_PROBLEM === undefined) ? '' : ` (skipped: ${DIST_PROBLEM})`}`, async () => {
    // As in a notebook kernel, the process has its own SIGINT handler (the default would kill it).
    const script = `
      import { createStudy } from ${JSON.stringify(DIST_ENTRY)};
      process.on('SIGINT', () => console.log('kernel saw SIGINT'));
      const study = await createStudy({ storage: 'memory:' });
      let first = true;
      await study.optimize((trial) => {
        if (first) { first = false; console.log('running'); }
        let s = 0; for (let i = 0; i < 2000; i++) s += Math.sin(trial.suggestFloat('x', 0, 1) + i);
        return s;
      }, { timeout: 8 });
      console.log('done ' + study.trials.length + ' ' + study.trials.filter((t) => t.state === 'RUNNING').length);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sentAt = 0;
    const done = new Promise<number>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (sentAt === 0 && out.includes('running')) {
          sentAt = Date.now();
          setTimeout(() => child.kill('SIGINT'), 200);
        }
        if (/done \d+ \d+/.test(out)) resolve(Date.now());
      });
      child.on('close', () => resolve(Date.now()));
    });
    const endedAt = await done;
    child.kill('SIGKILL');
    expect(out).toContain('kernel saw SIGINT');
    const [, , running] = /done (\d+) (\d+)/.exec(out) ?? [];
    expect(running).toBe('0');
    expect(endedAt - sentAt).toBeLessThan(3000);
  }, 20_000);
});
