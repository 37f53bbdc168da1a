import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/index.js';

// Worker scripts load from dist/: run `npx tsup` first (npm test does).
const distIndex = pathToFileURL(resolve(__dirname, '../../dist/index.js')).href;

function states(trials: readonly { state: string; systemAttrs: Readonly<Record<string, unknown>> }[]): string[] {
  return trials.map((t) => (t.state === 'FAIL' ? `FAIL ${String(t.systemAttrs['failReason'])}` : t.state));
}

describe('interrupting a parallel run', () => {
  it('an AbortSignal ends the running trials as FAIL "interrupted"', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 800);
    const started = Date.now();
    await study.optimize(
      (trial) => {
        trial.suggestFloat('x', 0, 1);
        for (;;);
      },
      { nTrials: 10, workers: 2, signal: controller.signal },
    );
    // Correctness, not speed: the busy-looping workers are ended (without that the test would hang);
    // a bound far above the abort (800 ms) that load cannot reach.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(states(study.trials)).toEqual(['FAIL interrupted', 'FAIL interrupted']);
  });

  it('study.stop() from a callback ends the other running trial too', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        if (trial.number === 0) return x;
        for (;;);
      },
      { nTrials: 10, workers: 2, callbacks: [(s) => s.stop()] },
    );
    expect(states(study.trials)).toEqual(['COMPLETE', 'FAIL interrupted']);
  });

  const script = (dir: string, mode: 'kernel' | 'script'): string => {
    const file = join(dir, `${mode}.mjs`);
    writeFileSync(
      file,
      `import { appendFileSync } from 'node:fs';
      import { createStudy } from ${JSON.stringify(distIndex)};
      // A notebook kernel has its own SIGINT handler; a plain script has none.
      if (${JSON.stringify(mode)} === 'kernel') process.on('SIGINT', () => {});
      const study = await createStudy({ storage: 'memory:' });
      setTimeout(() => process.kill(process.pid, 'SIGINT'), 1000);
      const log = (s, t) => appendFileSync(${JSON.stringify(join(dir, 'told.log'))}, t.state + ' ' + t.systemAttrs.failReason + '\\n');
      await study.optimize((trial) => { trial.suggestFloat('x', 0, 1); for (;;); }, { nTrials: 10, workers: 2, callbacks: [log] });
      console.log(JSON.stringify(study.trials.map((t) => t.state + ' ' + t.systemAttrs.failReason)));
      // No process.exit: the process ends by itself only if no worker is left.`,
    );
    return file;
  };

  it('SIGINT (a notebook interrupt) fails running trials, and the workers are gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-sigint-'));
    const run = spawnSync(process.execPath, [script(dir, 'kernel')], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['FAIL interrupted', 'FAIL interrupted']);
  });

  it('SIGINT in a plain script still ends the process, after the trials are failed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-sigint-'));
    const run = spawnSync(process.execPath, [script(dir, 'script')], { encoding: 'utf8', timeout: 20_000 });
    expect(run.signal).toBe('SIGINT');
    expect(run.stdout).toBe('');
    expect(readFileSync(join(dir, 'told.log'), 'utf8')).toBe('FAIL interrupted\nFAIL interrupted\n');
  });
});
